package fundwatch.simulator;

import fundwatch.avro.AccountRole;
import fundwatch.avro.ProductKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * Where the market's {@link NearMiss near misses} live, decided when the world is built (so that the truth is known
 * before the market runs): honest platform {@code i} of {@code n} (in id order, wrapping when the market has fewer
 * than six) carries
 * <ul>
 *   <li>0: the interest-coupon campaign (SUBSIDY within limits) and loan projects at 1 190 bps;</li>
 *   <li>1: a default paid by the risk reserve, and a wealth plan whose term matches its loan;</li>
 *   <li>2: a default paid by a guarantee company, and a closed-end plan of exactly 90 days;</li>
 *   <li>3: the steady grower (2.3 × the top-ups from day 29, peaking under 3 × in D6's terms; spans of at least 36
 *       days);</li>
 *   <li>4: a custodian that delivers the ledger T+1, at 08:00 the next morning;</li>
 *   <li>5: custody entries delivered two hours after the clearing payments;</li>
 * </ul>
 * and across the market: a borrower at exactly both caps (¥200,000 on each of five platforms, when there are five),
 * the two busiest shops, and people with two or three bank cards (15 % of the people; three of them labelled).
 * The random draws come from a stream of their own, so the rest of the market draws as it did without them.
 */
final class NearMisses {
    static final int SUBSIDY_PERCENT_OF_INTEREST = 8;
    static final int YIELD_BELOW_CEILING_BPS = 1_190;
    /**
     * Top-ups grow 2.3-fold: with the lumps of loan investment and the calendar, the 7-day inflow then peaks at
     * 2.2-2.8 x the 28-day weekly average (nine seeds and sizes checked), under D6's 3 x.
     */
    static final double STEADY_GROWTH = 2.3;
    /**
     * The share of the grower's top-ups from people new to it: growth mostly from its own, larger lender base
     * (at least {@link #STEADY_GROWER_LENDERS}), so that D6's new-lender series stays under its minimum too.
     */
    static final double STEADY_GROWER_NEW_LENDER_SHARE = 0.05;
    static final int STEADY_GROWER_LENDERS = 300;
    /** The grower's business relative to an average platform at volume 1, at least (see PlatformBusiness). */
    static final double STEADY_GROWER_MIN_ACTIVITY = 0.5;
    static final long STEADY_GROWER_ONSET_DAYS = 29;
    static final int STEADY_GROWER_MIN_DAYS = 36;
    static final long CAP_LOAN_MINOR = 200_000 * World.YUAN;
    static final int CAP_PLATFORMS = 5;
    static final double SEVERAL_CARDS_SHARE = 0.15;
    /** Share of each platform fee moved into the risk reserve (风险准备金) on the reserve platform. */
    static final int RESERVE_PERCENT_OF_FEES = 30;

    /** A loan that stops being repaid at period {@code period}, due at {@code due}; someone else pays its lenders. */
    record Default(LoanProduct loan, int period, long due, AccountRole payerRole, String payerAccountId,
            String payerPartyId) {
    }

    final List<TruthRecord> truth = new ArrayList<>();
    final Map<NearMiss, SimPlatform> platforms = new EnumMap<>(NearMiss.class);
    final Map<String, Default> defaults = new java.util.HashMap<>();
    final Map<String, LongUnaryOperator> custodyDelivery = new java.util.HashMap<>();
    /** The person at both caps, or null. */
    Party capBorrower;
    final List<SimPlatform> capPlatforms = new ArrayList<>();
    long capOnset;
    long growerOnset = -1;

    static NearMisses none() {
        return new NearMisses();
    }

    /** Decides every near miss of {@code world}; called once its people, shops and platforms exist. */
    static NearMisses plan(World world) {
        NearMisses n = new NearMisses();
        List<SimPlatform> honest = world.platforms.stream().filter(p -> p.scheme == null).toList();
        if (!honest.isEmpty()) {
            n.onPlatforms(world, honest);
        }
        n.shops(world);
        return n;
    }

    /** Gives some people a second or third card; called before anyone is made a lender, employee or borrower. */
    static void cards(World world, SplittableRandom rng) {
        for (int i = 0; i < world.individuals.size(); i++) {
            Party p = world.individuals.get(i);
            if (!Rand.chance(rng, SEVERAL_CARDS_SHARE)) {
                continue;
            }
            List<Party> cards = new ArrayList<>();
            int extra = Rand.between(rng, 1, 2);
            for (int c = 0; c < extra; c++) {
                cards.add(new Party(p.partyId(), p.type(), world.ids.card(), Rand.pick(rng, World.BANKS)));
            }
            Party withCards = new Party(p.partyId(), p.type(), p.accountId(), p.bankId(), cards);
            world.individuals.set(i, withCards);
        }
    }

    private void onPlatforms(World world, List<SimPlatform> honest) {
        long start = world.start;
        SimPlatform p0 = at(honest, 0);
        platforms.put(NearMiss.SUBSIDY_WITHIN_LIMITS, p0);
        truth.add(TruthRecord.nearMiss(NearMiss.SUBSIDY_WITHIN_LIMITS, "PLATFORM", p0.id, start));
        for (LoanProduct loan : p0.openProducts) {
            loan.yieldBps = YIELD_BELOW_CEILING_BPS;
            truth.add(TruthRecord.nearMiss(NearMiss.YIELD_BELOW_CEILING, "PRODUCT", loan.productId, loan.issuedAt));
        }
        SimPlatform p1 = at(honest, 1);
        plan(p1, ProductKind.WEALTH_PLAN, 180, NearMiss.MATCHED_WEALTH_PLAN);
        defaultOn(world, p1, NearMiss.RESERVE_PAYS_AFTER_DEFAULT, AccountRole.RISK_RESERVE, p1.id + "-RR", p1.partyId);
        SimPlatform p2 = at(honest, 2);
        plan(p2, ProductKind.WEALTH_PLAN, 90, NearMiss.CLOSED_END_90_DAYS);
        defaultOn(world, p2, NearMiss.GUARANTOR_PAYS_AFTER_DEFAULT, AccountRole.GUARANTOR, p2.id + "-GUAR",
                world.ids.party());
        if (world.config.simulatedDays() >= STEADY_GROWER_MIN_DAYS) {
            SimPlatform p3 = at(honest, 3);
            growerOnset = start + STEADY_GROWER_ONSET_DAYS * Rand.DAY;
            platforms.put(NearMiss.STEADY_GROWER, p3);
            // A busy platform has many lenders: from its first weeks on, fundwatch sees them as they come back.
            SplittableRandom rng = new SplittableRandom(Rand.mix64(world.config.seed() ^ 0x47524F57L));
            Set<String> already = new java.util.HashSet<>();
            p3.lenders.forEach(l -> already.add(l.person.partyId()));
            for (int tries = 0; p3.lenders.size() < STEADY_GROWER_LENDERS && tries < 10 * STEADY_GROWER_LENDERS; tries++) {
                Party person = world.individuals.get(rng.nextInt(world.individuals.size()));
                if (already.add(person.partyId())) {
                    p3.lenders.add(new Lender(person, p3.nextLenderSubAccountId()));
                }
            }
            truth.add(TruthRecord.nearMiss(NearMiss.STEADY_GROWER, "PLATFORM", p3.id, growerOnset));
        }
        SimPlatform p4 = at(honest, 4);
        platforms.put(NearMiss.NEXT_MORNING_CUSTODIAN, p4);
        // The custodian's batch: everything booked on a Beijing day arrives at 08:00 the next morning.
        custodyDelivery.put(p4.id, t -> Diurnal.beijingTime(Diurnal.beijingDay(t) + 1, 8));
        truth.add(TruthRecord.nearMiss(NearMiss.NEXT_MORNING_CUSTODIAN, "PLATFORM", p4.id, start));
        SimPlatform p5 = at(honest, 5);
        if (!custodyDelivery.containsKey(p5.id)) {
            platforms.put(NearMiss.CLEARING_AHEAD_OF_CUSTODY, p5);
            custodyDelivery.put(p5.id, t -> t + 2 * Rand.HOUR);
            truth.add(TruthRecord.nearMiss(NearMiss.CLEARING_AHEAD_OF_CUSTODY, "PLATFORM", p5.id, start));
        }
        if (honest.size() >= CAP_PLATFORMS) {
            capBorrower = world.newIndividual(new SplittableRandom(world.config.seed() ^ 0x5CA9L));
            for (int i = 1; i <= CAP_PLATFORMS; i++) {
                capPlatforms.add(at(honest, i));
            }
            capOnset = start + 3 * Rand.HOUR;
            truth.add(TruthRecord.nearMiss(NearMiss.BORROWER_AT_CAPS, "PARTY", capBorrower.partyId(), capOnset));
        }
        // Three people with several cards who lend on honest platforms: each of their cards is labelled.
        Set<String> labelled = new LinkedHashSet<>();
        for (SimPlatform p : honest) {
            for (Lender l : p.lenders) {
                if (labelled.size() < 3 && !l.person.otherCards().isEmpty() && labelled.add(l.person.partyId())) {
                    for (String account : l.person.accounts()) {
                        truth.add(TruthRecord.nearMiss(NearMiss.SEVERAL_BANK_CARDS, "ACCOUNT", account, start));
                    }
                }
            }
        }
    }

    private void plan(SimPlatform p, ProductKind kind, int termDays, NearMiss nearMiss) {
        if (p.openProducts.isEmpty()) {
            return;
        }
        LoanProduct loan = p.openProducts.get(0);
        if (truth.stream().anyMatch(t -> t.subjectId().equals(loan.productId))) {
            return;
        }
        loan.kind = kind;
        loan.termDays = termDays;
        loan.underlyingTermDays = termDays;
        truth.add(TruthRecord.nearMiss(nearMiss, "PRODUCT", loan.productId, loan.issuedAt));
    }

    /** The first seasoned loan of {@code p} with a period due between day 3 and a day before the end defaults then. */
    private void defaultOn(World world, SimPlatform p, NearMiss nearMiss, AccountRole payer, String account,
            String party) {
        if (platforms.containsKey(nearMiss) || defaults.containsKey(p.id)) {
            return;
        }
        for (LoanProduct loan : p.seasonedProducts) {
            for (int k = 1; k <= loan.periods(); k++) {
                long due = loan.dueTime(k);
                if (due >= world.start + 3 * Rand.DAY && due < world.end - Rand.DAY) {
                    defaults.put(p.id, new Default(loan, k, due, payer, account, party));
                    platforms.put(nearMiss, p);
                    truth.add(TruthRecord.nearMiss(nearMiss, "PLATFORM", p.id, due));
                    return;
                }
            }
        }
    }

    private void shops(World world) {
        for (int i = 0; i < Math.min(2, world.merchants.size()); i++) {
            truth.add(TruthRecord.nearMiss(NearMiss.BUSY_SHOP, "ACCOUNT", world.merchants.get(i).party().accountId(),
                    world.start));
        }
    }

    private static SimPlatform at(List<SimPlatform> honest, int i) {
        return honest.get(i % honest.size());
    }
}
