package fundwatch.simulator;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A deterministic simulated market of P2P lending platforms, their custody banks and the clearing
 * network around them, with labelled schemes planted on some platforms.
 *
 * <p>Same config, same output, byte for byte: every random draw comes from a
 * {@link java.util.SplittableRandom} seeded by {@link MarketConfig#seed()}, no iteration depends on
 * hash order, and simulated time starts at {@link MarketConfig#start()} — the wall clock is never read.
 * Each method builds its own copy of the market, so they may be called in any order, any number of times.
 */
public final class MarketSimulator {
    /** LPR_1Y as published on 2025-05-20 (Beijing time). */
    public static final String LPR_1Y = "LPR_1Y";
    public static final int LPR_1Y_BPS = 300;
    public static final Instant LPR_1Y_EFFECTIVE_FROM = Instant.parse("2025-05-19T16:00:00Z");

    private final MarketConfig config;

    public MarketSimulator(MarketConfig config) {
        this.config = config;
    }

    public MarketConfig config() {
        return config;
    }

    /**
     * The registry as it stands at the start: the benchmark rate, then platforms, then their accounts,
     * then the products that exist at the start (loans being repaid and loans raising money), so that
     * every reference points at a record already published. Products issued later come in {@link #events()}.
     */
    public List<SimEvent> registry() {
        World world = World.create(config);
        List<SimEvent> out = new ArrayList<>();
        BenchmarkRate lpr = BenchmarkRate.newBuilder()
                .setRateId(LPR_1Y).setValueBps(LPR_1Y_BPS).setEffectiveFrom(LPR_1Y_EFFECTIVE_FROM).build();
        out.add(new SimEvent(TopicRole.RATES, LPR_1Y, lpr, LPR_1Y_EFFECTIVE_FROM.toEpochMilli()));
        for (SimPlatform p : world.platforms) {
            out.add(new SimEvent(TopicRole.PLATFORMS, p.id, p.toRecord(), p.registeredAt));
        }
        // Payment institutions (an unregistered one stays out) and the asset manager whose product one of them buys.
        for (SimInstitution inst : world.institutions) {
            if (inst.registered) {
                out.add(new SimEvent(TopicRole.PLATFORMS, inst.id, inst.toRecord(), inst.registeredAt));
            }
        }
        Platform manager = assetManagerRecord(world);
        out.add(new SimEvent(TopicRole.PLATFORMS, manager.getPlatformId(), manager, manager.getRegisteredAt().toEpochMilli()));
        for (SimPlatform p : world.platforms) {
            p.accountRecords().forEach(a -> out.add(new SimEvent(TopicRole.ACCOUNTS, a.getAccountId(), a, p.registeredAt)));
        }
        for (SimInstitution inst : world.institutions) {
            if (inst.registered) {
                inst.accountRecords().forEach(a -> out.add(new SimEvent(TopicRole.ACCOUNTS, a.getAccountId(), a,
                        inst.registeredAt)));
            }
        }
        AccountRegistration managerAccount = AccountRegistration.newBuilder()
                .setAccountId(world.assetManager.accountId()).setBankId(world.assetManager.bankId())
                .setPlatformId(World.ASSET_MANAGER_ID).setHolderPartyId(world.assetManager.partyId())
                .setPurpose(AccountPurpose.PLATFORM_GENERAL).build();
        out.add(new SimEvent(TopicRole.ACCOUNTS, managerAccount.getAccountId(), managerAccount,
                manager.getRegisteredAt().toEpochMilli()));
        for (SimPlatform p : world.platforms) {
            for (LoanProduct loan : p.seasonedProducts) {
                out.add(new SimEvent(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), loan.issuedAt));
            }
            for (LoanProduct loan : p.openProducts) {
                out.add(new SimEvent(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), loan.issuedAt));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The market in motion, generated lazily as it is iterated: custody transactions and clearing
     * payments (with about 1 % redeliveries and a few late arrivals), and the registration of each
     * product issued during the span, at its issue time. Events are in event-time order except the
     * late ones; every event time lies in {@code [start, start + simulatedDays)}.
     */
    public Iterator<SimEvent> events() {
        return run(World.create(config));
    }

    private Engine run(World world) {
        Engine engine = new Engine(world.start, world.end, world.quirksRng);
        engine.custodyDelivery(world.nearMisses.custodyDelivery);
        List<PlatformBusiness> honest = new ArrayList<>();
        for (int i = 0; i < world.platforms.size(); i++) {
            SimPlatform p = world.platforms.get(i);
            PlatformBusiness business = new PlatformBusiness(world, p, engine, world.platformRngs.get(i), conduct(world, p));
            business.start(world.start);
            if (p.scheme == null) {
                honest.add(business);
            }
        }
        SimPlatform bypass = world.schemePlatforms.get(Scheme.CUSTODY_BYPASS);
        if (bypass != null) {
            new BypassCollection(world, bypass, engine, world.schemeRngs.get(Scheme.CUSTODY_BYPASS),
                    onsetMillis(Scheme.CUSTODY_BYPASS)).start();
        }
        SimPlatform ponzi = world.schemePlatforms.get(Scheme.PONZI);
        if (ponzi != null) {
            new PonziScheme(world, ponzi, engine, world.schemeRngs.get(Scheme.PONZI), onsetMillis(Scheme.PONZI)).start();
        }
        SimPlatform pooling = world.schemePlatforms.get(Scheme.POOLING);
        if (pooling != null) {
            new PoolingScheme(world, pooling, engine, world.schemeRngs.get(Scheme.POOLING),
                    onsetMillis(Scheme.POOLING)).start();
        }
        SimPlatform rectifying = world.schemePlatforms.get(Scheme.RECTIFYING_GROWER);
        if (rectifying != null) {
            // Ordered to rectify at the onset; the registry says so from then on.
            engine.at(onsetMillis(Scheme.RECTIFYING_GROWER), t -> engine.emitRecord(TopicRole.PLATFORMS, rectifying.id,
                    rectifying.toRecord(PlatformStatus.RECTIFYING), t));
        }
        Party hub = world.schemeParties.get(Scheme.UNLICENSED_HUB);
        if (hub != null) {
            new UnlicensedHub(world, hub, engine, world.schemeRngs.get(Scheme.UNLICENSED_HUB),
                    onsetMillis(Scheme.UNLICENSED_HUB)).start();
        }
        Party borrower = world.schemeParties.get(Scheme.BORROWER_OVER_CAPS);
        if (borrower != null) {
            new BorrowerOverCaps(borrower, honest, engine, world.schemeRngs.get(Scheme.BORROWER_OVER_CAPS),
                    onsetMillis(Scheme.BORROWER_OVER_CAPS)).start();
        }
        NearMisses near = world.nearMisses;
        if (near.capBorrower != null) {
            // Exactly at both caps: ¥200,000 on each of five platforms, ¥1,000,000 in all (the caps are "more than").
            List<PlatformBusiness> lenders = new ArrayList<>();
            for (SimPlatform p : near.capPlatforms) {
                lenders.add(honest.stream().filter(b -> b.platform() == p).findFirst().orElseThrow());
            }
            SimPlatform first = near.capPlatforms.get(0);
            new BorrowerOverCaps(near.capBorrower, lenders, engine,
                    new java.util.SplittableRandom(config.seed() ^ first.id.hashCode()), near.capOnset,
                    NearMisses.CAP_PLATFORMS, NearMisses.CAP_LOAN_MINOR).start();
        }
        SimPlatform selfFinancing = world.schemePlatforms.get(Scheme.SELF_FINANCING);
        if (selfFinancing != null) {
            new SelfFinancingScheme(world, selfFinancing, engine, world.schemeRngs.get(Scheme.SELF_FINANCING),
                    onsetMillis(Scheme.SELF_FINANCING)).start();
        }
        Party company = world.schemeParties.get(Scheme.FICTITIOUS_BORROWERS);
        SimPlatform firstHonest = world.platforms.stream().filter(p -> p.scheme == null).findFirst().orElse(null);
        if (company != null && firstHonest != null) {
            new FictitiousBorrowers(world, firstHonest, company, engine,
                    world.schemeRngs.get(Scheme.FICTITIOUS_BORROWERS), onsetMillis(Scheme.FICTITIOUS_BORROWERS))
                    .start();
        }
        if (selfFinancing != null || company != null) {
            // D8's near misses ride along with its schemes, on a random stream split off theirs.
            Scheme d8 = selfFinancing != null ? Scheme.SELF_FINANCING : Scheme.FICTITIOUS_BORROWERS;
            LookThroughNearMisses nearMisses = new LookThroughNearMisses(world, engine,
                    world.schemeRngs.get(d8).split());
            world.disbursementListeners.add(nearMisses);
            nearMisses.start(world.start);
        }
        new BackgroundTraffic(world, engine).start(world.start);
        for (int i = 0; i < world.institutions.size(); i++) {
            SimInstitution inst = world.institutions.get(i);
            SplittableRandom rng = world.institutionRngs.get(i);
            if (inst.scheme == Scheme.UNLICENSED_PAYMENT) {
                new UnlicensedPayments(world, inst, engine, rng, onsetMillis(Scheme.UNLICENSED_PAYMENT)).start();
            } else {
                new InstitutionBusiness(world, inst, engine, rng,
                        inst.scheme == null ? Long.MAX_VALUE : onsetMillis(inst.scheme)).start(world.start);
            }
        }
        return engine;
    }

    private Conduct conduct(World world, SimPlatform p) {
        if (p.scheme == null) {
            // The near miss of D6: a fast grower, but under its 3 x ratio.
            return world.nearMisses.platforms.get(NearMiss.STEADY_GROWER) == p
                    ? Conduct.growing(world.nearMisses.growerOnset, NearMisses.STEADY_GROWTH,
                            NearMisses.STEADY_GROWER_NEW_LENDER_SHARE) : Conduct.HONEST;
        }
        return switch (p.scheme) {
            case UNRECONCILED_FLOW -> Conduct.unreconciled(onsetMillis(Scheme.UNRECONCILED_FLOW),
                    world.schemeRngs.get(Scheme.UNRECONCILED_FLOW));
            // A campaign: five times the deposits, seven in ten from people new to the platform.
            case RAPID_GROWTH -> Conduct.growing(onsetMillis(Scheme.RAPID_GROWTH), 5.0, 0.7);
            // Not winding down: half as much again, new lenders among them.
            case RECTIFYING_GROWER -> Conduct.growing(onsetMillis(Scheme.RECTIFYING_GROWER), 1.5, 0.3);
            default -> Conduct.HONEST;
        };
    }

    /** {@link #registry()} followed by {@link #events()}: everything a publisher sends, in order. */
    public Iterator<SimEvent> market() {
        Iterator<SimEvent> first = registry().iterator();
        Iterator<SimEvent> then = events();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || then.hasNext();
            }

            @Override
            public SimEvent next() {
                if (first.hasNext()) {
                    return first.next();
                }
                if (then.hasNext()) {
                    return then.next();
                }
                throw new NoSuchElementException();
            }
        };
    }

    /**
     * The ground truth: per planted scheme (in {@link Scheme} order) one record per subject its detectors alert on
     * — the platform, the hub's account, the borrower, and the products a scheme issues (each from its issue time)
     * — then the labelled near misses. The products are known only once the market has run, so this generates the
     * whole market once (about two seconds per million events).
     */
    public List<TruthRecord> truth() {
        World world = World.create(config);
        Engine engine = run(world);
        while (engine.hasNext()) {
            engine.next();
        }
        List<TruthRecord> out = new ArrayList<>();
        for (Scheme scheme : config.schemes().keySet()) {
            long onset = onsetMillis(scheme);
            if (scheme.runsAnInstitution()) {
                out.add(TruthRecord.scheme(scheme.name(), scheme.detectors(), "PLATFORM",
                        world.schemeInstitutions.get(scheme).id, onset));
                continue;
            }
            switch (scheme) {
                case UNLICENSED_HUB -> out.add(TruthRecord.scheme(scheme.name(), scheme.detectors(), "ACCOUNT",
                        world.schemeParties.get(scheme).accountId(), onset));
                case FICTITIOUS_BORROWERS -> out.add(TruthRecord.scheme(scheme.name(), scheme.detectors(),
                        "ACCOUNT", world.schemeParties.get(scheme).accountId(), onset));
                case BORROWER_OVER_CAPS -> out.add(TruthRecord.scheme(scheme.name(), scheme.detectors(), "PARTY",
                        world.schemeParties.get(scheme).partyId(), onset));
                // The platform's own findings; its products' follow from the running market.
                case PONZI -> out.add(TruthRecord.scheme(scheme.name(), List.of("NEW_MONEY_PAYS_OLD", "YIELD_SUBSIDY"),
                        "PLATFORM", world.schemePlatforms.get(scheme).id, onset));
                case POOLING -> out.add(TruthRecord.scheme(scheme.name(), List.of("FUND_POOLING"), "PLATFORM",
                        world.schemePlatforms.get(scheme).id, onset));
                default -> out.add(TruthRecord.scheme(scheme.name(), scheme.detectors(), "PLATFORM",
                        world.schemePlatforms.get(scheme).id, onset));
            }
        }
        out.addAll(world.dynamicTruth);
        out.addAll(world.nearMisses.truth);
        for (SimInstitution inst : world.institutions) {
            if (inst.scheme == null) {
                out.add(TruthRecord.nearMiss(NearMiss.HONEST_PAYMENT_INSTITUTION, "PLATFORM", inst.id, world.start));
            }
        }
        return List.copyOf(out);
    }

    /** The asset manager (a licensed ASSET_MANAGEMENT platform with no custody business of its own here). */
    private static Platform assetManagerRecord(World world) {
        return Platform.newBuilder().setPlatformId(World.ASSET_MANAGER_ID).setName("稳盈资产管理")
                .setKind(PlatformKind.ASSET_MANAGEMENT).setLicensed(true).setCustodianId(null)
                .setStatus(PlatformStatus.ACTIVE).setRegisteredAt(Instant.ofEpochMilli(world.start - 1_000L * Rand.DAY))
                .setRegionCode(World.REGIONS.get(1)).build();
    }

    /** The payment institutions' ids (registered or not), in the order they were built. */
    public List<String> institutionIds() {
        return World.create(config).institutions.stream().map(i -> i.id).toList();
    }

    /** The platform ids in the market, in id order. */
    public List<String> platformIds() {
        return World.create(config).platforms.stream().map(p -> p.id).toList();
    }

    private long onsetMillis(Scheme scheme) {
        Duration onset = config.onset(scheme).orElseThrow();
        return config.start().plus(onset).toEpochMilli();
    }
}
