package fundwatch.topology.platformflow;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.PartyType;

/**
 * One side of a clearing payment that touches an account registered to a platform, keyed by that platform.
 * A payment between two registered accounts yields two legs. Carrying the registry facts resolved at
 * classification time keeps the detectors downstream free of registry lookups.
 *
 * @param counterpartyOfSamePlatform the other account is registered to the same platform, or held by the
 *                                   same party: money moving within the platform, not from the public
 */
public record PlatformLeg(
        String platformId,
        String regionCode,
        String kind,
        String accountId,
        AccountPurpose purpose,
        Direction direction,
        String paymentId,
        long amountMinor,
        long eventTime,
        String counterpartyAccountId,
        String counterpartyPartyId,
        PartyType counterpartyPartyType,
        boolean counterpartyOfSamePlatform) {

    public enum Direction { IN, OUT }

    /** The counterparty as shown in evidence: the party token where known, else the account. */
    public String counterpartyId() {
        return counterpartyPartyId != null ? counterpartyPartyId : counterpartyAccountId;
    }
}
