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

    /** @param lenders the honest platforms, in a fixed order; the first {@link #PLATFORMS} lend (MarketConfig checks there are enough) */
    BorrowerOverCaps(Party borrower, List<PlatformBusiness> lenders, Engine engine, SplittableRandom rng, long onset) {
        this.borrower = borrower;
        this.lenders = lenders.subList(0, Math.min(PLATFORMS, lenders.size()));
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        long t = onset;
        for (PlatformBusiness platform : lenders) {
            long at = t;
            engine.at(at, when -> platform.lendTo(borrower, LOAN_MINOR, when));
            t += Rand.between(rng, 20 * Rand.MINUTE, 3 * Rand.HOUR);
        }
    }
}
