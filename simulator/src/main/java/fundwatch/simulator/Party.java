package fundwatch.simulator;

import fundwatch.avro.PartyType;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A person or company with its main bank account, and for some people one or two further bank cards
 * ({@code otherCards}: the same party seen through another account).
 */
record Party(String partyId, PartyType type, String accountId, String bankId, List<Party> otherCards) {

    Party {
        otherCards = List.copyOf(otherCards);
    }

    Party(String partyId, PartyType type, String accountId, String bankId) {
        this(partyId, type, accountId, bankId, List.of());
    }

    boolean isIndividual() {
        return type == PartyType.INDIVIDUAL;
    }

    /**
     * The card a payment uses: the main account, or for a person with several cards any of them. Draws from
     * {@code rng} only for such a person, so one-card markets draw exactly as before.
     */
    Party anyCard(SplittableRandom rng) {
        if (otherCards.isEmpty()) {
            return this;
        }
        int i = rng.nextInt(otherCards.size() + 1);
        return i == 0 ? this : otherCards.get(i - 1);
    }

    /** Every account of the party, the main one first. */
    List<String> accounts() {
        List<String> out = new java.util.ArrayList<>();
        out.add(accountId);
        otherCards.forEach(c -> out.add(c.accountId()));
        return out;
    }
}
