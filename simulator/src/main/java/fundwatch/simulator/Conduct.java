package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * How a platform keeps its custody ledger. Honest platforms book every top-up and pay out every
 * withdrawal; a scheme platform may not. The lending business itself stays the same.
 */
interface Conduct {

    Conduct HONEST = new Conduct() {
        @Override
        public boolean booksDeposit(long time) {
            return true;
        }

        @Override
        public boolean paysOutWithdrawal(long time) {
            return true;
        }
    };

    /** Whether a lender's top-up that reached the custody master at {@code time} is booked as a DEPOSIT. */
    boolean booksDeposit(long time);

    /** Whether a custody WITHDRAWAL at {@code time} is really paid out to the lender's card. */
    boolean paysOutWithdrawal(long time);

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
