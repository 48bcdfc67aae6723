package fundwatch.simulator;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.TxType;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * D1/D2 pooling (资金池): from its onset the platform sells a 60-day "wealth plan" said to fund 360-day loans
 * (short money for long loans, 期限错配), and the money its lenders put into the plan goes into the platform's own
 * account, not to any borrower (D1a). It also raises one loan project for a company 12 % beyond its target (D1b).
 * Top-ups go through custody as usual (clearing payment + DEPOSIT), so the ledger stays reconciled; the pool is in
 * where the lenders' money goes next. Nothing is paid back within the span: the plan rolls over.
 */
final class PoolingScheme {
    static final double TOP_UPS_PER_HOUR = 3.0;
    private static final long TEN_THOUSAND = 10_000 * World.YUAN;

    private final World world;
    private final SimPlatform p;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;
    private String planId;
    private LoanProduct oversold;
    /** What the oversold project takes before it stops: its target plus 12 %. */
    private long oversoldCap;

    PoolingScheme(World world, SimPlatform platform, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.p = platform;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        engine.at(onset, this::launch);
    }

    private void launch(long t) {
        // A pool with no real ceiling (¥1 billion): its D1b finding is the oversold loan project, by design; a plan
        // that filled its own target would be a second, unlabelled one.
        planId = world.ids.product();
        Product plan = Product.newBuilder()
                .setProductId(planId).setPlatformId(p.id).setKind(ProductKind.WEALTH_PLAN)
                .setDeclaredAnnualYieldBps(900).setTermDays(60).setUnderlyingTermDays(360)
                .setTargetAmountMinor(1_000_000_000 * World.YUAN).setGuaranteedReturn(false).setBorrowerPartyId(null)
                .setIssuedAt(Instant.ofEpochMilli(t)).build();
        engine.emitRecord(TopicRole.PRODUCTS, planId, plan, t);
        long issued = t + Rand.between(rng, Rand.MINUTE, 10 * Rand.MINUTE);
        oversold = world.loanFor(rng, p, world.newCompany(rng), 400_000 * World.YUAN, issued);
        oversoldCap = oversold.targetMinor * 112 / 100;
        engine.emitRecord(TopicRole.PRODUCTS, oversold.productId, oversold.toRecord(), issued);
        // D2 on the plan, D1b on the oversold project (D1a on the platform is the scheme's own record).
        world.dynamicTruth.add(TruthRecord.scheme(Scheme.POOLING.name(), java.util.List.of("MATURITY_MISMATCH"),
                "PRODUCT", planId, t));
        world.dynamicTruth.add(TruthRecord.scheme(Scheme.POOLING.name(), java.util.List.of("FUND_POOLING"),
                "PRODUCT", oversold.productId, issued));
        engine.at(Diurnal.nextArrival(rng, issued, TOP_UPS_PER_HOUR), this::topUpArrival);
    }

    private void topUpArrival(long t) {
        Lender lender = Rand.pick(rng, p.lenders);
        long amount = Rand.logUniform(rng, 1, 20) * TEN_THOUSAND;
        long gap = Rand.between(rng, 5 * Rand.SECOND, 10 * Rand.MINUTE);
        long investAt = t + gap + Rand.between(rng, 5 * Rand.MINUTE, 2 * Rand.HOUR);
        if (engine.inSpan(investAt)) {
            engine.emit(Payments.fromCard(rng, world.ids.payment(), t, lender.person, p.custodyMaster(), amount, "充值"));
            engine.emit(ledger(TxType.DEPOSIT, t + gap, amount, null)
                    .setDebitAccountId(lender.person.accountId()).setDebitRole(AccountRole.EXTERNAL)
                    .setDebitPartyId(lender.person.partyId())
                    .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                    .setCreditPartyId(lender.person.partyId()).build());
            engine.at(investAt, when -> invest(lender, amount, when));
        }
        engine.at(Diurnal.nextArrival(rng, t, TOP_UPS_PER_HOUR), this::topUpArrival);
    }

    /** Into the oversold project while it is below its cap, else into the plan — whose money lands in the platform's own account. */
    private void invest(Lender lender, long amount, long t) {
        if (oversold.raisedMinor < oversoldCap) {
            long put = Math.min(amount, oversoldCap - oversold.raisedMinor);
            oversold.raisedMinor += put;
            engine.emit(ledger(TxType.INVEST, t, put, oversold.productId)
                    .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                    .setDebitPartyId(lender.person.partyId())
                    .setCreditAccountId(oversold.borrowerSubAccountId).setCreditRole(AccountRole.BORROWER)
                    .setCreditPartyId(oversold.borrower.partyId()).build());
            amount -= put;
            t += Rand.between(rng, Rand.SECOND, 20 * Rand.SECOND);
        }
        if (amount > 0) {
            engine.emit(ledger(TxType.INVEST, t, amount, planId)
                    .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                    .setDebitPartyId(lender.person.partyId())
                    .setCreditAccountId(p.ownSubAccountId).setCreditRole(AccountRole.PLATFORM_OWN)
                    .setCreditPartyId(p.partyId).build());
        }
    }

    private CustodyTransaction.Builder ledger(TxType type, long time, long amount, String productId) {
        return p.ledger(world.ids, type, time, amount, productId);
    }
}
