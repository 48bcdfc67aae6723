package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * A licensed payment institution at work. Customers top up their wallets from their cards into the reserve; each
 * night the reserve settles the institution's shops for the day before (large amounts: the reserve's job); during
 * the day it refunds a few customers; every week it moves money between its reserves at different banks; and each
 * evening it draws its fee income into its own account — exactly the allowance, 1 % of what the reserve paid out to
 * others that day. Cross-bank payments clear through NUCC or CUP; within one bank the bank books them. Now and then a
 * shop's payment arrives under a mis-keyed institution id.
 *
 * <p>The schemes change one thing each: {@link Scheme#CLEARING_BYPASS} clears its cross-bank payments itself
 * ("DIRECT" or the paying bank's own code); {@link Scheme#PAYMENT_RESERVE_MISUSE} also, from its onset, lends reserve
 * money to its affiliate — which buys an asset manager's wealth product with it — and buys such products straight
 * from the reserve, every one to three days.
 */
final class InstitutionBusiness {
    /** Wallet top-ups a day at volume 1.0: a small institution beside the P2P platforms. */
    static final double TOP_UPS_PER_DAY = 40;
    static final double MIS_KEYED_PER_DAY = 0.15;
    static final long FEE_SHARE_DIVISOR = 100;

    private final World world;
    private final SimInstitution inst;
    private final Engine engine;
    private final SplittableRandom rng;
    /** When the scheme, if any, starts; before it the scheme institution does honest business. */
    private final long schemeOnset;
    /** What the reserve paid out to others (shops, customers) since the last fee draw. */
    private long paidToOthers;

    InstitutionBusiness(World world, SimInstitution inst, Engine engine, SplittableRandom rng, long schemeOnset) {
        this.world = world;
        this.inst = inst;
        this.engine = engine;
        this.rng = rng;
        this.schemeOnset = schemeOnset;
    }

    void start(long start) {
        engine.at(Diurnal.nextArrival(rng, start, topUpsPerHour()), this::topUp);
        long day = Diurnal.beijingDay(start);
        engine.at(firstAtOrAfter(start, day, 3) + Rand.between(rng, 0L, 30 * Rand.MINUTE), this::settle);
        engine.at(firstAtOrAfter(start, day, 9), this::refunds);
        engine.at(firstAtOrAfter(start, day, 23) + 30 * Rand.MINUTE, this::drawFees);
        engine.at(firstAtOrAfter(start, day, 10) + Rand.between(rng, 0L, 6L) * Rand.DAY, this::moveReserves);
        if (inst.scheme == null) {
            engine.at(firstAtOrAfter(start, day, 12) + Rand.between(rng, 0L, 3L) * Rand.DAY, this::misKeyed);
        }
        if (inst.scheme == Scheme.PAYMENT_RESERVE_MISUSE) {
            engine.at(schemeOnset + Rand.between(rng, 4 * Rand.HOUR, 8 * Rand.HOUR), this::misuse);
        }
    }

    private static long firstAtOrAfter(long start, long day, int hour) {
        long t = Diurnal.beijingTime(day, hour);
        return t >= start ? t : Diurnal.beijingTime(day + 1, hour);
    }

    private double topUpsPerHour() {
        return TOP_UPS_PER_DAY * world.config.volume() / 24.0;
    }

    /** How the payment clears: within one bank, the bank; across banks, a licensed clearing house — or itself. */
    private String clearing(long t, Party from, Party to) {
        if (from.bankId().equals(to.bankId())) {
            return from.bankId();
        }
        if (inst.scheme == Scheme.CLEARING_BYPASS && t >= schemeOnset) {
            return Rand.chance(rng, 0.6) ? "DIRECT" : from.bankId();
        }
        return Rand.chance(rng, 0.8) ? Payments.NUCC : Payments.CUP;
    }

    private Party reserveFor(Party counterpart) {
        Party same = inst.reserveAt(counterpart.bankId());
        return same != null ? same : Rand.pick(rng, inst.reserves);
    }

    private void pay(long t, Party from, Party to, long amount, String purpose) {
        engine.emit(Payments.payment(world.ids.payment(), t, clearing(t, from, to), inst.id, from, to, amount, purpose));
    }

    private void topUp(long t) {
        Party customer = Rand.pick(rng, world.individuals);
        pay(t, customer, reserveFor(customer), Rand.logUniform(rng, 100, 5_000) * World.YUAN, "充值");
        engine.at(Diurnal.nextArrival(rng, t, topUpsPerHour()), this::topUp);
    }

    /** Night settlement: each shop gets yesterday's takings, a few minutes apart. */
    private void settle(long t) {
        long time = t;
        for (World.Merchant shop : inst.merchants) {
            long amount = Rand.logUniform(rng, 20_000, 1_500_000) * World.YUAN;
            pay(time, reserveFor(shop.party()), shop.party(), amount, "结算");
            paidToOthers += amount;
            time += Rand.between(rng, Rand.MINUTE, 10 * Rand.MINUTE);
        }
        engine.at(t + Rand.DAY, this::settle);
    }

    /** Two to four refunds between 09:00 and 21:00. */
    private void refunds(long t) {
        int n = Rand.between(rng, 2, 4);
        for (int i = 0; i < n; i++) {
            long at = t + Rand.between(rng, 0L, 12 * Rand.HOUR);
            engine.at(at, this::refund);
        }
        engine.at(t + Rand.DAY, this::refunds);
    }

    private void refund(long t) {
        Party customer = Rand.pick(rng, world.individuals);
        long amount = Rand.logUniform(rng, 50, 3_000) * World.YUAN;
        pay(t, reserveFor(customer), customer, amount, "退款");
        paidToOthers += amount;
    }

    /** 23:30: the day's fee income into its own account — exactly the allowance. */
    private void drawFees(long t) {
        long fee = paidToOthers / FEE_SHARE_DIVISOR;
        paidToOthers = 0;
        if (fee > 0) {
            pay(t, inst.reserves.get(0), inst.company, fee, "手续费收入");
        }
        engine.at(t + Rand.DAY, this::drawFees);
    }

    /** Weekly: rebalance between two reserve banks (large, and client money stays in a reserve). */
    private void moveReserves(long t) {
        int from = rng.nextInt(inst.reserves.size());
        int to = (from + 1 + rng.nextInt(inst.reserves.size() - 1)) % inst.reserves.size();
        pay(t, inst.reserves.get(from), inst.reserves.get(to), Rand.logUniform(rng, 1_000_000, 5_000_000) * World.YUAN,
                "备付金调拨");
        engine.at(t + 7 * Rand.DAY, this::moveReserves);
    }

    /** A shop payment under a one-letter typo of the institution's id: one record, no business. */
    private void misKeyed(long t) {
        Party customer = Rand.pick(rng, world.individuals);
        World.Merchant shop = Rand.pick(rng, inst.merchants);
        String typo = inst.id.substring(0, inst.id.length() - 1);
        engine.emit(Payments.payment(world.ids.payment(), t, Payments.NUCC, typo, customer, shop.party(),
                Rand.logUniform(rng, 100, 2_000) * World.YUAN, "消费"));
        engine.at(t + Rand.between(rng, 3L, 10L) * Rand.DAY, this::misKeyed);
    }

    /**
     * 挪用备付金: a "loan" from the reserve to the affiliate, which buys a wealth product with it an hour or two later;
     * half the time the institution also buys one straight from the reserve.
     */
    private void misuse(long t) {
        long loan = Rand.logUniform(rng, 300_000, 1_500_000) * World.YUAN;
        Party reserve = Rand.pick(rng, inst.reserves);
        pay(t, reserve, inst.affiliate, loan, "借款");
        long later = t + Rand.between(rng, Rand.HOUR, 3 * Rand.HOUR);
        if (engine.inSpan(later)) {
            engine.emit(Payments.bankTransfer(world.ids.payment(), later, inst.affiliate, world.assetManager, loan,
                    "购买理财产品"));
        }
        if (Rand.chance(rng, 0.5)) {
            pay(t + Rand.between(rng, 10 * Rand.MINUTE, Rand.HOUR), Rand.pick(rng, inst.reserves), world.assetManager,
                    Rand.logUniform(rng, 500_000, 2_000_000) * World.YUAN, "理财");
        }
        engine.at(t + Rand.between(rng, 1L, 3L) * Rand.DAY, this::misuse);
    }
}
