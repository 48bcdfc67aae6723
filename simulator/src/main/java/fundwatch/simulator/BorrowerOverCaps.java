package fundwatch.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * D7: one individual borrows ¥300,000 on each of up to four platforms, a few hours apart. Each loan is raised,
 * disbursed and repaid like any honest one — every single platform sees an ordinary project — but each is over
 * the ¥200,000 per-platform cap for a person, and together they are over the ¥1,000,000 cap across platforms,
 * which only the regulator can see.
 */
final class BorrowerOverCaps {
    static final int PLATFORMS = 4;
    static final long LOAN_MINOR = 300_000 * World.YUAN;

    private final Party borrower;
    private final List<PlatformBusiness> lenders;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;
    private final long loanMinor;

    /** @param lenders the honest platforms, in a fixed order; the first {@link #PLATFORMS} lend (MarketConfig checks there are enough) */
    BorrowerOverCaps(Party borrower, List<PlatformBusiness> lenders, Engine engine, SplittableRandom rng, long onset) {
        this(borrower, lenders, engine, rng, onset, PLATFORMS, LOAN_MINOR);
    }

    /** Any number of platforms and loan size: the near miss borrows exactly at the caps with the same mechanics. */
    BorrowerOverCaps(Party borrower, List<PlatformBusiness> lenders, Engine engine, SplittableRandom rng, long onset,
            int platforms, long loanMinor) {
        this.borrower = borrower;
        this.lenders = lenders.subList(0, Math.min(platforms, lenders.size()));
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
        this.loanMinor = loanMinor;
    }

    void start() {
        long t = onset;
        for (PlatformBusiness platform : lenders) {
            long at = t;
            engine.at(at, when -> platform.lendTo(borrower, loanMinor, when));
            t += Rand.between(rng, 20 * Rand.MINUTE, 3 * Rand.HOUR);
        }
    }
}
