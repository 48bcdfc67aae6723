package fundwatch.simulator;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * D4/D5 Ponzi: from its onset the platform sells "high-yield" loan projects (18–30 % a year, above the
 * 4 × LPR ceiling) for shell companies, sweeps the money raised from the shells' borrower sub-accounts into
 * its own account, and from there pays every holder "daily interest" at the advertised rate and honours
 * early redemptions — old lenders are paid with new lenders' deposits, never with borrower repayments. A
 * welcome-bonus campaign (SUBSIDY, 1–3 % of each top-up) keeps the new money coming. Top-ups go through the
 * custody master like any other (clearing payment + DEPOSIT), so the custody ledger stays reconciled; the
 * fraud is in who pays the lenders.
 */
final class PonziScheme {
    /** Top-ups per hour at average daytime activity and volume 1: a promotion draws a lot of new money. */
    static final double TOP_UPS_PER_HOUR = 8.0;
    /** Chance per hourly payout run that a holder asks for their principal back. */
    static final double REDEMPTION_PER_HOUR = 0.004;
    private static final long HOUR = Rand.HOUR;

    private record Holding(Lender lender, LoanProduct product, long principalMinor, long investedAt) {
    }

    private final World world;
    private final SimPlatform p;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;
    /** Sized with the market, like any platform: its daily interest runs are one payment per holding a day. */
    private final double topUpsPerHour;
    private final List<LoanProduct> raising = new ArrayList<>();
    /** Holdings with the time each next earns a day's interest. */
    private final List<Holding> holdings = new ArrayList<>();
    private final List<Long> nextInterest = new ArrayList<>();

    PonziScheme(World world, SimPlatform platform, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.p = platform;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
        this.topUpsPerHour = TOP_UPS_PER_HOUR * world.config.volume();
    }

    void start() {
        engine.at(onset + Rand.between(rng, Rand.MINUTE, 10 * Rand.MINUTE), t -> {
            issue(t);
            issue(t + Rand.between(rng, Rand.SECOND, Rand.MINUTE));
        });
        engine.at(Diurnal.nextArrival(rng, onset, topUpsPerHour), this::topUpArrival);
        engine.at(onset + HOUR, this::payoutRun);
    }

    /** A new shell project at 18–30 % a year, ¥500k–900k: within the corporate borrowing cap, far above the ceiling. */
    private void issue(long t) {
        if (!engine.inSpan(t)) {
            return;
        }
        Party shell = world.newCompany(rng);
        long target = Rand.logUniform(rng, 500, 900) * 1_000 * World.YUAN;
        int yieldBps = 1_800 + 100 * Rand.between(rng, 0, 12);
        LoanProduct loan = new LoanProduct(world.ids.product(), p, shell, p.nextBorrowerSubAccountId(), yieldBps, 180,
                target, t);
        raising.add(loan);
        engine.emitRecord(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), t);
        world.dynamicTruth.add(TruthRecord.scheme(Scheme.PONZI.name(), List.of("ABNORMAL_YIELD"), "PRODUCT",
                loan.productId, t));
    }

    private void topUpArrival(long t) {
        topUp(t);
        engine.at(Diurnal.nextArrival(rng, t, topUpsPerHour), this::topUpArrival);
    }

    /** New money: the top-up, the welcome bonus, and the INVEST into a shell project minutes later. */
    private void topUp(long t) {
        Lender lender = Rand.pick(rng, p.lenders);
        long amount = Rand.logUniform(rng, 5_000, 200_000) * World.YUAN;
        long booked = t + Rand.between(rng, 5 * Rand.SECOND, 5 * Rand.MINUTE);
        long investAt = booked + Rand.between(rng, 2 * Rand.MINUTE, 30 * Rand.MINUTE);
        if (!engine.inSpan(investAt + Rand.MINUTE) || raising.isEmpty()) {
            return;
        }
        engine.emit(Payments.fromCard(rng, world.ids.payment(), t, lender.person, p.custodyMaster(), amount, "充值"));
        engine.emit(ledger(TxType.DEPOSIT, booked, amount, null)
                .setDebitAccountId(lender.person.accountId()).setDebitRole(AccountRole.EXTERNAL)
                .setDebitPartyId(lender.person.partyId())
                .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                .setCreditPartyId(lender.person.partyId()).build());
        if (Rand.chance(rng, 0.5)) {
            long bonus = Math.max(World.YUAN, amount * Rand.between(rng, 100, 300) / 10_000L);
            engine.emit(ledger(TxType.SUBSIDY, booked + Rand.SECOND, bonus, null)
                    .setDebitAccountId(p.ownSubAccountId).setDebitRole(AccountRole.PLATFORM_OWN)
                    .setDebitPartyId(p.partyId)
                    .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                    .setCreditPartyId(lender.person.partyId()).build());
        }
        engine.at(investAt, when -> invest(lender, amount, when));
    }

    private void invest(Lender lender, long amount, long t) {
        if (raising.isEmpty()) {
            issue(t);
        }
        LoanProduct loan = raising.get(0);
        long put = Math.min(amount, loan.remainingMinor());
        engine.emit(ledger(TxType.INVEST, t, put, loan.productId)
                .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                .setDebitPartyId(lender.person.partyId())
                .setCreditAccountId(loan.borrowerSubAccountId).setCreditRole(AccountRole.BORROWER)
                .setCreditPartyId(loan.borrower.partyId()).build());
        loan.raisedMinor += put;
        holdings.add(new Holding(lender, loan, put, t));
        nextInterest.add(t + Rand.DAY);
        // The shell never sees the money: it is swept into the platform's own account at once.
        engine.emit(ledger(TxType.TRANSFER, t + Rand.between(rng, Rand.SECOND, Rand.MINUTE), put, loan.productId)
                .setDebitAccountId(loan.borrowerSubAccountId).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId(loan.borrower.partyId())
                .setCreditAccountId(p.ownSubAccountId).setCreditRole(AccountRole.PLATFORM_OWN)
                .setCreditPartyId(p.partyId).build());
        if (loan.remainingMinor() == 0) {
            raising.remove(loan);
            engine.at(t + Rand.between(rng, 2 * Rand.MINUTE, 20 * Rand.MINUTE), this::issue);
        }
    }

    /** Every hour: a day's interest to each holding whose day is up, and the odd redemption — all from own funds. */
    private void payoutRun(long t) {
        long time = t;
        for (int i = 0; i < holdings.size(); i++) {
            Holding h = holdings.get(i);
            while (nextInterest.get(i) <= t) {
                long interest = h.principalMinor() * h.product().yieldBps / (10_000L * 365L);
                if (interest > 0) {
                    engine.emit(payout(TxType.REPAY_INTEREST, time, interest, h));
                    time += Rand.between(rng, 0L, Rand.SECOND);
                }
                nextInterest.set(i, nextInterest.get(i) + Rand.DAY);
            }
        }
        for (int i = holdings.size() - 1; i >= 0; i--) {
            if (Rand.chance(rng, REDEMPTION_PER_HOUR)) {
                engine.emit(payout(TxType.REPAY_PRINCIPAL, time, holdings.get(i).principalMinor(), holdings.get(i)));
                time += Rand.between(rng, 0L, Rand.SECOND);
                holdings.remove(i);
                nextInterest.remove(i);
            }
        }
        engine.at(t + HOUR, this::payoutRun);
    }

    private CustodyTransaction payout(TxType type, long time, long amount, Holding h) {
        return ledger(type, time, amount, h.product().productId)
                .setDebitAccountId(p.ownSubAccountId).setDebitRole(AccountRole.PLATFORM_OWN)
                .setDebitPartyId(p.partyId)
                .setCreditAccountId(h.lender().subAccountId).setCreditRole(AccountRole.LENDER)
                .setCreditPartyId(h.lender().person.partyId()).build();
    }

    private CustodyTransaction.Builder ledger(TxType type, long time, long amount, String productId) {
        return p.ledger(world.ids, type, time, amount, productId);
    }
}
