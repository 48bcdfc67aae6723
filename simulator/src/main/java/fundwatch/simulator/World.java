package fundwatch.simulator;

import fundwatch.avro.PartyType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Everything that exists at the start of the span — people, companies, platforms, their lenders
 * and loan books — and the random streams of the actors that will move money among them.
 *
 * <p>Built from the config alone, so {@link MarketSimulator#registry()} and
 * {@link MarketSimulator#events()} each build their own identical copy. Every actor draws from its
 * own {@link SplittableRandom}, split off the seed in a fixed order, so one actor's draws never
 * shift another's.
 */
final class World {
    static final String CURRENCY = "CNY";
    static final long YUAN = 100L;

    /** Clearing members, as short bank codes. */
    static final List<String> BANKS = List.of(
            "ICBC", "ABC", "BOC", "CCB", "BOCOM", "PSBC", "CMB", "CIB", "SPDB", "CITIC", "CEB", "HXB", "PAB", "CMBC");
    /** Banks that ran P2P custody under the 2017 guideline. */
    static final List<String> CUSTODIANS = List.of("CMB", "CIB", "SPDB", "CITIC", "CEB", "HXB", "PAB", "CMBC");
    /** GB/T 2260 codes: Beijing, Shanghai, Shenzhen, Hangzhou, Guangzhou, Chengdu, Wuhan, Nanjing. */
    static final List<String> REGIONS = List.of(
            "110000", "310000", "440300", "330100", "440100", "510100", "420100", "320100");
    private static final List<String> NAME_HEADS = List.of(
            "鑫", "融", "汇", "安", "信", "盈", "宝", "恒", "泰", "聚", "德", "华", "金", "利", "众", "诚", "普", "易");
    private static final List<String> NAME_TAILS = List.of("贷", "金服", "财富", "e贷", "宝", "金融", "钱包", "网贷");

    final MarketConfig config;
    final long start;
    final long end;
    final Ids ids;
    final List<Party> individuals = new ArrayList<>();
    final List<Party> suppliers = new ArrayList<>();
    final List<Merchant> merchants = new ArrayList<>();
    final List<Employer> employers = new ArrayList<>();
    final List<SimPlatform> platforms = new ArrayList<>();
    final Map<Scheme, SimPlatform> schemePlatforms = new EnumMap<>(Scheme.class);
    /** The schemes that run outside a platform of their own: the party or account they act through. */
    final Map<Scheme, Party> schemeParties = new EnumMap<>(Scheme.class);

    /** Payment institutions (D3c–D3e): the big three the card payments name, numbered ones, scheme ones. */
    final List<SimInstitution> institutions = new ArrayList<>();
    final Map<Scheme, SimInstitution> schemeInstitutions = new EnumMap<>(Scheme.class);
    final List<SplittableRandom> institutionRngs = new ArrayList<>();
    /** An asset manager whose wealth product the reserve-misuse scheme buys; its general account. */
    Party assetManager;

    final SplittableRandom quirksRng;
    final SplittableRandom retailRng;
    final SplittableRandom corporateRng;
    final List<SplittableRandom> platformRngs = new ArrayList<>();
    final Map<Scheme, SplittableRandom> schemeRngs = new EnumMap<>(Scheme.class);
    /** The labelled near misses (none when the config turns them off). */
    final NearMisses nearMisses;
    /** Truth records that only the running market knows: products its schemes issue. */
    final List<TruthRecord> dynamicTruth = new ArrayList<>();

    /** Told of every loan a platform's ordinary business disburses (D8's near misses react to them). */
    interface DisbursementListener {
        void disbursed(SimPlatform platform, Party borrower, long paidAt, long netMinor);
    }

    final List<DisbursementListener> disbursementListeners = new ArrayList<>();

    /** A shop: individuals pay it, it pays its one or two suppliers once a week. */
    record Merchant(Party party, double weight, List<Party> suppliers, int payDayOfWeek) {
    }

    /** A company that pays its employees' salaries on one day of each month. */
    record Employer(Party party, List<Party> employees, List<Long> salariesMinor, int payDayOfMonth) {
    }

    private World(MarketConfig config) {
        this.config = config;
        this.start = config.start().toEpochMilli();
        this.end = config.end().toEpochMilli();
        SplittableRandom master = new SplittableRandom(config.seed());
        SplittableRandom build = master.split();
        this.quirksRng = master.split();
        this.retailRng = master.split();
        this.corporateRng = master.split();
        this.ids = new Ids(build.nextLong());

        int schemeCount = (int) config.schemes().keySet().stream().filter(Scheme::hasOwnPlatform).count();
        int platformCount = config.honestPlatforms() + schemeCount;
        buildPeople(build, 1_200 + 200 * platformCount);
        if (config.nearMisses()) {
            // A stream of its own, not split off the master: the rest of the market draws as it did without them.
            NearMisses.cards(this, new SplittableRandom(Rand.mix64(config.seed() ^ 0x4E4D4953L)));
        }
        buildCompanies(build);
        buildPlatforms(build, platformCount);
        // Drawn after everything else, so planting these schemes leaves the rest of the market as it was.
        if (config.isEnabled(Scheme.BORROWER_OVER_CAPS)) {
            schemeParties.put(Scheme.BORROWER_OVER_CAPS, newIndividual(build));
        }
        if (config.isEnabled(Scheme.UNLICENSED_HUB)) {
            schemeParties.put(Scheme.UNLICENSED_HUB, newCompany(build));
        }
        if (config.isEnabled(Scheme.FICTITIOUS_BORROWERS)) {
            schemeParties.put(Scheme.FICTITIOUS_BORROWERS, newCompany(build));
        }
        for (int i = 0; i < platformCount; i++) {
            platformRngs.add(master.split());
        }
        for (Scheme scheme : config.schemes().keySet()) {
            schemeRngs.put(scheme, master.split());
        }
        this.nearMisses = config.nearMisses() ? NearMisses.plan(this) : NearMisses.none();
        // Payment institutions come last, from random streams of their own: adding them left the rest as it was.
        buildInstitutions(master.split());
        for (int i = 0; i < institutions.size(); i++) {
            institutionRngs.add(master.split());
        }
    }

    static final String ASSET_MANAGER_ID = "AM-001";
    /** The institutions whose ids the card payments carry ({@link Payments}); registered, licensed, honest. */
    private static final List<String> BIG_INSTITUTIONS = List.of(Payments.ALIPAY, Payments.TENPAY, Payments.UNIONPAY);
    private static final List<String> BIG_NAMES = List.of("支付宝", "财付通", "银联商务");
    /** Honest institutions with numbered ids, among which the scheme institutions take random slots. */
    static final int NUMBERED_HONEST_INSTITUTIONS = 2;

    private void buildInstitutions(SplittableRandom rng) {
        assetManager = new Party(ids.party(), PartyType.CORPORATE, ASSET_MANAGER_ID + "-GEN", Rand.pick(rng, BANKS));
        for (int i = 0; i < BIG_INSTITUTIONS.size(); i++) {
            institutions.add(newInstitution(rng, BIG_INSTITUTIONS.get(i), BIG_NAMES.get(i), null));
        }
        List<Scheme> roles = new ArrayList<>();
        for (int i = 0; i < NUMBERED_HONEST_INSTITUTIONS; i++) {
            roles.add(null);
        }
        config.schemes().keySet().stream().filter(Scheme::runsAnInstitution).forEach(roles::add);
        int[] order = Rand.sample(rng, roles.size(), roles.size());
        for (int i = 0; i < roles.size(); i++) {
            Scheme scheme = roles.get(order[i]);
            String name = Rand.pick(rng, NAME_HEADS) + Rand.pick(rng, NAME_HEADS) + "支付";
            SimInstitution inst = newInstitution(rng, Ids.pad("PI-", i + 1L, 4), name, scheme);
            institutions.add(inst);
            if (scheme != null) {
                schemeInstitutions.put(scheme, inst);
            }
        }
    }

    private SimInstitution newInstitution(SplittableRandom rng, String id, String name, Scheme scheme) {
        Party company = new Party(ids.party(), PartyType.CORPORATE, id + "-GEN", Rand.pick(rng, BANKS));
        Party affiliate = new Party(ids.party(), PartyType.CORPORATE, id + "-RP", Rand.pick(rng, BANKS));
        // 直连: the bypassing institution keeps reserves at three banks and moves money among them itself.
        int[] banks = Rand.sample(rng, BANKS.size(), scheme == Scheme.CLEARING_BYPASS ? 3 : Rand.between(rng, 2, 3));
        List<String> reserveBanks = new ArrayList<>();
        for (int b : banks) {
            reserveBanks.add(BANKS.get(b));
        }
        int[] shops = Rand.sample(rng, merchants.size(), Rand.between(rng, 3, 6));
        List<Merchant> settled = new ArrayList<>();
        for (int m : shops) {
            settled.add(merchants.get(m));
        }
        return new SimInstitution(id, name, Rand.pick(rng, REGIONS), start - Rand.between(rng, 400L, 3_000L) * Rand.DAY,
                scheme, company, reserveBanks, affiliate, settled);
    }

    static World create(MarketConfig config) {
        return new World(config);
    }

    private void buildPeople(SplittableRandom rng, int count) {
        for (int i = 0; i < count; i++) {
            individuals.add(newIndividual(rng));
        }
    }

    Party newIndividual(SplittableRandom rng) {
        return new Party(ids.party(), PartyType.INDIVIDUAL, ids.card(), Rand.pick(rng, BANKS));
    }

    Party newCompany(SplittableRandom rng) {
        return new Party(ids.party(), PartyType.CORPORATE, ids.corporateAccount(), Rand.pick(rng, BANKS));
    }

    private void buildCompanies(SplittableRandom rng) {
        for (int i = 0; i < 20; i++) {
            suppliers.add(newCompany(rng));
        }
        // Shop popularity falls off like Zipf's law: a few busy shops, a long tail of quiet ones.
        for (int i = 0; i < 60; i++) {
            int[] picks = Rand.sample(rng, suppliers.size(), Rand.between(rng, 1, 2));
            List<Party> own = new ArrayList<>();
            for (int p : picks) {
                own.add(suppliers.get(p));
            }
            merchants.add(new Merchant(newCompany(rng), 1.0 / (i + 1), List.copyOf(own), Rand.between(rng, 1, 5)));
        }
        for (int i = 0; i < 25; i++) {
            Party company = newCompany(rng);
            int[] staff = Rand.sample(rng, individuals.size(), Rand.between(rng, 8, 60));
            List<Party> employees = new ArrayList<>();
            List<Long> salaries = new ArrayList<>();
            for (int s : staff) {
                employees.add(individuals.get(s));
                salaries.add(Rand.logUniform(rng, 3_000 * YUAN, 30_000 * YUAN));
            }
            employers.add(new Employer(company, List.copyOf(employees), List.copyOf(salaries), Rand.between(rng, 1, 28)));
        }
    }

    private void buildPlatforms(SplittableRandom rng, int count) {
        // Scheme platforms take random slots, so a platform's id says nothing about its conduct.
        List<Scheme> roles = new ArrayList<>();
        for (int i = 0; i < config.honestPlatforms(); i++) {
            roles.add(null);
        }
        config.schemes().keySet().stream().filter(Scheme::hasOwnPlatform).forEach(roles::add);
        int[] order = Rand.sample(rng, count, count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Scheme scheme = roles.get(order[i]);
            // Platforms differ in size. The one whose ledger misses money is a large one: skimming
            // pays where much money flows, and its gaps then show within hours even at night.
            double activity = (scheme == Scheme.UNRECONCILED_FLOW ? 2.5 : 0.6 + rng.nextDouble()) * config.volume();
            String name;
            do {
                name = Rand.pick(rng, NAME_HEADS) + Rand.pick(rng, NAME_HEADS) + Rand.pick(rng, NAME_TAILS);
            } while (!names.add(name));
            SimPlatform p = new SimPlatform(
                    Ids.pad("P-", i + 1L, 3), name, Rand.pick(rng, CUSTODIANS), Rand.pick(rng, REGIONS),
                    start - Rand.between(rng, 400L, 2_000L) * Rand.DAY, ids.party(), ids.party(),
                    Rand.pick(rng, BANKS), Rand.pick(rng, BANKS), scheme, activity);
            int lenderCount = Math.max(30, (int) (Rand.between(rng, 150, 320) * activity));
            int[] lenderIdx = Rand.sample(rng, individuals.size(), lenderCount);
            for (int li : lenderIdx) {
                Lender lender = new Lender(individuals.get(li), p.nextLenderSubAccountId());
                if (Rand.chance(rng, 0.3)) {
                    lender.balanceMinor = Rand.logUniform(rng, 500, 20_000) * YUAN;
                }
                p.lenders.add(lender);
            }
            buildLoanBook(rng, p);
            platforms.add(p);
            if (scheme != null) {
                schemePlatforms.put(scheme, p);
            }
        }
    }

    /** Loans disbursed before the span (their repayments fall in it) and a few still raising money. */
    private void buildLoanBook(SplittableRandom rng, SimPlatform p) {
        int seasoned = Rand.between(rng, 8, 14);
        for (int i = 0; i < seasoned; i++) {
            int term = List.of(90, 180, 360).get(rng.nextInt(3));
            long disbursedAt = start - Rand.between(rng, 1L, term - 1L) * Rand.DAY - Rand.between(rng, 0L, Rand.DAY - 1);
            LoanProduct loan = drawLoan(rng, p, disbursedAt - Rand.between(rng, 1L, 3L) * Rand.DAY, term);
            int holders = Rand.between(rng, 3, 25);
            int[] who = Rand.sample(rng, p.lenders.size(), holders);
            long[] shares = split(rng, loan.targetMinor, holders);
            for (int h = 0; h < holders; h++) {
                loan.holdings.add(new LoanProduct.Holding(p.lenders.get(who[h]), shares[h]));
            }
            loan.raisedMinor = loan.targetMinor;
            loan.disbursedAt = disbursedAt;
            p.seasonedProducts.add(loan);
        }
        for (int i = 0; i < 3; i++) {
            p.openProducts.add(drawLoan(rng, p, start - Rand.between(rng, 10 * Rand.MINUTE, 12 * Rand.HOUR), 0));
        }
    }

    /**
     * A new LOAN_PROJECT with a fresh borrower: 8–11 % a year (under the 4 × LPR ceiling), targets
     * within the borrowing caps (≤ 150k yuan for a person, ≤ 800k for a company, one loan each).
     * {@code termDays} 0 draws a term.
     */
    LoanProduct drawLoan(SplittableRandom rng, SimPlatform p, long issuedAt, int termDays) {
        boolean corporate = Rand.chance(rng, 0.2);
        Party borrower = corporate ? newCompany(rng) : newIndividual(rng);
        long target = corporate
                ? Rand.logUniform(rng, 200, 800) * 1_000 * YUAN
                : Rand.logUniform(rng, 20, 150) * 1_000 * YUAN;
        int term = termDays > 0 ? termDays : List.of(30, 60, 90, 90, 180, 180, 360).get(rng.nextInt(7));
        int yieldBps = 800 + 10 * Rand.between(rng, 0, 30);
        return new LoanProduct(ids.product(), p, borrower, p.nextBorrowerSubAccountId(), yieldBps, term, target, issuedAt);
    }

    /** A LOAN_PROJECT for a given borrower, on the same terms as {@link #drawLoan} draws. */
    LoanProduct loanFor(SplittableRandom rng, SimPlatform p, Party borrower, long targetMinor, long issuedAt) {
        int term = List.of(90, 180, 360).get(rng.nextInt(3));
        int yieldBps = 800 + 10 * Rand.between(rng, 0, 30);
        return new LoanProduct(ids.product(), p, borrower, p.nextBorrowerSubAccountId(), yieldBps, term, targetMinor,
                issuedAt);
    }

    /** {@code total} split into {@code parts} positive multiples of 100 yuan (total is one too). */
    private static long[] split(SplittableRandom rng, long total, int parts) {
        long unit = 100 * YUAN;
        long units = total / unit;
        double[] w = new double[parts];
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            w[i] = 0.2 + rng.nextDouble();
            sum += w[i];
        }
        long[] out = new long[parts];
        long used = 0;
        for (int i = 0; i < parts - 1; i++) {
            long u = Math.max(1, (long) (units * w[i] / sum));
            out[i] = u * unit;
            used += u;
        }
        out[parts - 1] = (units - used) * unit;
        return out;
    }
}
