package fundwatch.simulator;

import fundwatch.avro.PartyType;

/** A person or company with the one bank account the simulation uses for it. */
record Party(String partyId, PartyType type, String accountId, String bankId) {

    boolean isIndividual() {
        return type == PartyType.INDIVIDUAL;
    }
}
