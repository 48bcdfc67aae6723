package fundwatch.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * D3a custody bypass: from its onset the platform has its lenders pay "investments" straight into
 * its ordinary PLATFORM_GENERAL account, where the custody bank never sees them. Several payments
 * an hour, day and night (the scheme does not wait for office hours), 10k–500k yuan in round
 * thousands, as people transfer savings for an off-book "plan".
 */
final class BypassCollection {
    static final double PAYMENTS_PER_HOUR = 5.0;
    private static final List<String> PURPOSES = List.of("投资款", "出借本金", "认购定向委托计划", "理财");

    private final World world;
    private final SimPlatform p;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;

    BypassCollection(World world, SimPlatform platform, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.p = platform;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        engine.at(onset + Rand.exponentialMillis(rng, PAYMENTS_PER_HOUR), this::collect);
    }

    private void collect(long t) {
        Lender victim = Rand.pick(rng, p.lenders);
        long amount = Rand.logUniform(rng, 10, 500) * 1_000 * World.YUAN;
        String purpose = Rand.chance(rng, 0.2) ? null : Rand.pick(rng, PURPOSES);
        engine.emit(Payments.fromCard(rng, world.ids.payment(), t, victim.person, p.general(), amount, purpose));
        engine.at(t + Rand.exponentialMillis(rng, PAYMENTS_PER_HOUR), this::collect);
    }
}
