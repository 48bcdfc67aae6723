package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * D8b fictitious borrowers (虚构借款人): ten people borrow ¥80k–¥150k each from one platform within two days, and
 * each passes nearly all of it, within hours, to one company account — the one real user of the money, which takes
 * nothing else. The platform is an honest one (the first); the subject is the company's account.
 */
final class FictitiousBorrowers {
    static final int BORROWERS = 10;

    private final World world;
    private final SimPlatform p;
    private final Party company;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;

    FictitiousBorrowers(World world, SimPlatform platform, Party company, Engine engine, SplittableRandom rng,
            long onset) {
        this.world = world;
        this.p = platform;
        this.company = company;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        for (int i = 0; i < BORROWERS; i++) {
            engine.at(onset + Rand.between(rng, 0L, 2 * Rand.DAY - 8 * Rand.HOUR), this::front);
        }
    }

    private void front(long t) {
        Party front = world.newIndividual(rng);
        long amount = Rand.logUniform(rng, 80, 150) * 1_000 * World.YUAN;
        long paidAt = ArrangedLoans.fundAndDisburse(world, p, engine, rng, front, amount, t, false);
        long at = paidAt + Rand.between(rng, 10 * Rand.MINUTE, 5 * Rand.HOUR);
        if (paidAt > 0 && engine.inSpan(at)) {
            long passed = amount - Rand.between(rng, 0L, 2_000L) * World.YUAN;
            engine.emit(Payments.fromCard(rng, world.ids.payment(), at, front, company, passed, "转账"));
        }
    }
}
