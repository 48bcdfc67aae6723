package fundwatch.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ILLEGAL_FUNDRAISING (D1c): an ordinary company account, tied to no licensed platform, takes savings from
 * individuals day and night — ¥10k–100k each, "for a fixed-income plan" — and pays each of them a "monthly
 * return" of 1.5 % from the tenth day on, out of the money it collects. It keeps most of what comes in, so it is
 * no pass-through hub: what gives it away is the number of individuals and the returns promised to them.
 */
final class UnlicensedHub {
    static final double PAYMENTS_PER_HOUR = 4.0;
    private static final List<String> PURPOSES = List.of("理财", "定期收益计划", "入股", "投资款");

    private record Investor(Party person, long amountMinor, long paidInAt) {
    }

    private final World world;
    private final Party hub;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;
    private final List<Investor> investors = new ArrayList<>();

    UnlicensedHub(World world, Party hub, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.hub = hub;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        engine.at(onset + Rand.exponentialMillis(rng, PAYMENTS_PER_HOUR), this::collect);
        engine.at(Diurnal.beijingTime(Diurnal.beijingDay(onset) + 1, 10), this::payReturns);
    }

    private void collect(long t) {
        Party person = Rand.pick(rng, world.individuals);
        long amount = Rand.logUniform(rng, 10, 100) * 1_000 * World.YUAN;
        String purpose = Rand.chance(rng, 0.3) ? null : Rand.pick(rng, PURPOSES);
        engine.emit(Payments.fromCard(rng, world.ids.payment(), t, person, hub, amount, purpose));
        investors.add(new Investor(person, amount, t));
        engine.at(t + Rand.exponentialMillis(rng, PAYMENTS_PER_HOUR), this::collect);
    }

    /** Every morning: the month's return to each investor whose money has been in a multiple of 30 days, from day 10. */
    private void payReturns(long t) {
        long time = t;
        for (Investor i : investors) {
            long days = (t - i.paidInAt()) / Rand.DAY;
            if (days >= 10 && (days - 10) % 30 == 0) {
                long amount = Math.max(World.YUAN, i.amountMinor() * 150 / 10_000L);
                engine.emit(Payments.bankTransfer(world.ids.payment(), time, hub, i.person(), amount, "收益"));
                time += Rand.between(rng, Rand.SECOND, 30 * Rand.SECOND);
            }
        }
        engine.at(t + Rand.DAY, this::payReturns);
    }
}
