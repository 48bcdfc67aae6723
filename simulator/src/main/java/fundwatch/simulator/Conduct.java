package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * How a platform keeps its custody ledger. Honest platforms book every top-up and pay out every
 * withdrawal; a scheme platform may not. The lending business itself stays the same.
 */
interface Conduct {

    Conduct HONEST = new Conduct() {
    };

    /** Whether a lender's top-up that reached the custody master at {@code time} is booked as a DEPOSIT. */
    default boolean booksDeposit(long time) {
        return true;
    }

    /** Whether a custody WITHDRAWAL at {@code time} is really paid out to the lender's card. */
    default boolean paysOutWithdrawal(long time) {
        return true;
    }

    /** Lenders' top-ups at {@code time} relative to the platform's usual rate. */
    default double demand(long time) {
        return 1.0;
    }

    /** The share of top-ups at {@code time} that come from people new to the platform. */
    default double newLenderShare(long time) {
        return 0.0;
    }

    /**
     * D6: a custody-compliant platform whose deposits grow {@code demand} times from its onset, a share
     * {@code newLenderShare} of them from new lenders — a promotion, or a platform that will not wind down.
     */
    static Conduct growing(long onset, double demand, double newLenderShare) {
        return new Conduct() {
            @Override
            public double demand(long time) {
                return time < onset ? 1.0 : demand;
            }

            @Override
            public double newLenderShare(long time) {
                return time < onset ? 0.0 : newLenderShare;
            }
        };
    }

    /**
     * D3b: from its onset the ledger and the money disagree — about 30 % of top-ups are never booked
     * and about a quarter of withdrawals are booked but never paid.
     */
    static Conduct unreconciled(long onset, SplittableRandom rng) {
        return new Conduct() {
            @Override
            public boolean booksDeposit(long time) {
                return time < onset || !Rand.chance(rng, 0.30);
            }

            @Override
            public boolean paysOutWithdrawal(long time) {
                return time < onset || !Rand.chance(rng, 0.25);
            }
        };
    }
}
