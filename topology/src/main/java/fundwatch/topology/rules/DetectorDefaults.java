package fundwatch.topology.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every detector's default thresholds, in one place (DETECTION.md). A DetectorRule record on fundwatch.rules
 * overrides any of them while the application runs. Amounts are minor units (fen); durations are minutes.
 */
public final class DetectorDefaults {
    private DetectorDefaults() {
    }

    public static final String CUSTODY_BYPASS = "CUSTODY_BYPASS";
    public static final String UNRECONCILED_FLOW = "UNRECONCILED_FLOW";
    public static final String ABNORMAL_YIELD = "ABNORMAL_YIELD";
    public static final String FUND_POOLING = "FUND_POOLING";
    public static final String ILLEGAL_FUNDRAISING = "ILLEGAL_FUNDRAISING";
    public static final String MATURITY_MISMATCH = "MATURITY_MISMATCH";
    public static final String YIELD_SUBSIDY = "YIELD_SUBSIDY";
    public static final String NEW_MONEY_PAYS_OLD = "NEW_MONEY_PAYS_OLD";
    public static final String RAPID_GROWTH = "RAPID_GROWTH";
    public static final String BORROWING_CAP = "BORROWING_CAP";
    public static final String PAYMENT_RESERVE_MISUSE = "PAYMENT_RESERVE_MISUSE";
    public static final String CLEARING_BYPASS = "CLEARING_BYPASS";
    public static final String UNLICENSED_PAYMENT = "UNLICENSED_PAYMENT";

    /**
     * Parameter families a rule may extend beyond the defaults: any name with this prefix is a parameter of the
     * detector (D3d's list of licensed clearing organisations: {@code licensedClearingHouse.CNAPS = 1} adds one,
     * {@code = 0} removes one), since a rule's params are numbers and a list must be spelled as names.
     */
    private static final Map<String, String> OPEN_PARAM_PREFIXES = Map.of(CLEARING_BYPASS, "licensedClearingHouse.");

    /** Not a detector: the look-through tracing's parameters, shared by D8a and D8b (a rule record tunes them). */
    public static final String LOOK_THROUGH = "LOOK_THROUGH";
    public static final String SELF_FINANCING = "SELF_FINANCING";
    public static final String CONCENTRATED_FINAL_USE = "CONCENTRATED_FINAL_USE";

    /** The version reported in alerts while no rule record has been published. */
    public static final String DEFAULT_VERSION = "default";

    private static final Map<String, Map<String, Double>> DEFAULTS = detectors(
            CUSTODY_BYPASS, ordered(
                    "criticalDailyAmountMinor", 100_000_000d,   // ¥1,000,000 in a day: CRITICAL (D3a)
                    "highDailyAmountMinor", 10_000_000d,        // ¥100,000 in a day: HIGH
                    "graceMinutes", 60d,
                    "reemitMinGrowth", 0.25),
            UNRECONCILED_FLOW, ordered(
                    "matchWindowMinutes", 120d,                 // ±2 hours of event time (D3b)
                    "amountToleranceMinor", 1d,                 // ±¥0.01
                    "maxLedgerDelayMinutes", 2_160d,            // a quiet platform's ledger is complete 36 h behind its custody partition
                    "graceMinutes", 60d,
                    "highDailyAmountMinor", 10_000_000d,
                    "criticalDailyAmountMinor", 100_000_000d,
                    "reemitMinGrowth", 0.25),
            ABNORMAL_YIELD, ordered(
                    "ceilingLprMultiple", 4d,                   // judicial ceiling: 4 × LPR_1Y (D4)
                    "criticalYieldBps", 2_400d,                 // > 24 %: CRITICAL
                    "lprFallbackBps", 300d,                     // LPR_1Y from 2025-05-20, until reference.rates has one
                    "graceMinutes", 60d,                        // D4b: a day's payments are final this long after it ends
                    "reemitMinGrowth", 0.25),
            FUND_POOLING, ordered(
                    // D1a unmatched investment: per platform per day
                    "unmatchedMinAmountMinor", 10_000_000d,     // ¥100,000 a day
                    "unmatchedMinShare", 0.05,                  // of all lender outflow
                    "unmatchedSingleMovementMinor", 100_000_000d, // any single movement ≥ ¥1,000,000
                    // D1b oversubscription
                    "oversubscriptionTolerance", 0.01,          // INVEST > target × 1.01
                    // D1c pass-through hub (clearing side), sliding window of daily buckets
                    "hubWindowDays", 7d,
                    "hubMinDistinctPayers", 30d,
                    "hubMinDistinctPayees", 10d,
                    "hubMinOutInRatio", 0.5,
                    "hubMaxOutInRatio", 1.2,
                    "hubRecurringLookbackDays", 0d,             // >0: a payer who also paid within N days before is recurring, not counted
                    "hubConfirmDays", 0d,                       // >0: a payer counts once it stayed away N days (a one-off)
                    "graceMinutes", 60d,
                    "maxLedgerDelayMinutes", 2_160d,            // a custody day is final 36 h after the task's ledger passed it, even if its platform's did not
                    "reemitMinGrowth", 0.25),
            ILLEGAL_FUNDRAISING, ordered(
                    // D1c, accounts tied to no licensed platform: 2022 prosecution thresholds + fundraiser behaviour
                    "windowDays", 30d,
                    "minIndividualPayers", 150d,
                    "minIndividualAmountMinor", 100_000_000d,   // ¥1,000,000 from individuals
                    "minPaybackShare", 0.10,                    // pays back ≥ 10 % of those payers
                    "minPassOnShare", 0.5,                      // or passes ≥ 50 % of the collected amount on
                    "minPassOnPayees", 10d,                     // to ≥ 10 payees
                    "reemitMinGrowth", 0.25),
            MATURITY_MISMATCH, ordered(
                    // D2: 资管新规 art. 15 floor for closed-end products; term splitting within 30 days
                    "closedEndMinTermDays", 90d,
                    "splitIssueWindowDays", 30d,
                    "splitMinProducts", 2d,
                    "reemitMinGrowth", 0.25),
            YIELD_SUBSIDY, ordered(
                    // D5a: SUBSIDY (platform own → lender) per platform over a 30-day window sliding by day
                    "windowDays", 30d,
                    "maxShareOfInterest", 0.10,                 // > 10 % of the interest lenders received
                    "maxAmountMinor", 50_000_000d,              // or > ¥500,000
                    "minAmountMinor", 0d,                       // optional floor of the share test; off: DETECTION.md has none
                    "graceMinutes", 60d,
                    "maxLedgerDelayMinutes", 2_160d,            // a custody day is final 36 h after the task's ledger passed it, even if its platform's did not
                    "reemitMinGrowth", 0.25),
            NEW_MONEY_PAYS_OLD, ordered(
                    // D5b: REPAY_* paid to lenders vs REPAY_* debited from borrowers, per platform over 30 days
                    "windowDays", 30d,
                    "minExcessShare", 0.05,                     // paid > repaid × 1.05
                    "minGapAmountMinor", 0d,                    // optional floor of the gap; off: DETECTION.md has none
                    "highGapShare", 0.20,                       // gap / paid ≥ 20 %: HIGH
                    "criticalGapShare", 0.50,                   // ≥ 50 %: CRITICAL
                    "graceMinutes", 60d,
                    "maxLedgerDelayMinutes", 2_160d,            // a custody day is final 36 h after the task's ledger passed it, even if its platform's did not
                    "reemitMinGrowth", 0.25),
            RAPID_GROWTH, ordered(
                    // D6: a 7-day total vs the trailing 28 days' weekly average, per platform (ACTIVE platforms)
                    "windowDays", 7d,
                    "baselineDays", 28d,                        // also the history needed before any verdict
                    "growthRatio", 3d,                          // week ≥ 3 × the baseline's weekly average
                    "minInflowMinor", 100_000_000d,             // and inflow ≥ ¥1,000,000 …
                    "minNewLenders", 100d,                      // … or ≥ 100 new lenders in the week
                    "highRatio", 6d,                            // ≥ 6 ×: HIGH (else MEDIUM)
                    "lenderMemoryDays", 365d,                   // a lender with no position, quiet this long, is forgotten
                    "seriesRetentionDays", 400d,                // days kept for the series endpoint
                    "graceMinutes", 60d,                        // a day (and a month) closes this long after its end
                    "maxLedgerDelayMinutes", 2_160d,            // a custody day is final 36 h after the task's ledger passed it, even if its platform's did not
                    "reemitMinGrowth", 0.25),
            BORROWING_CAP, ordered(
                    // D7: interim measures art. 17, outstanding principal per borrower party
                    "individualPlatformCapMinor", 20_000_000d,  // ¥200,000 on one platform
                    "individualTotalCapMinor", 100_000_000d,    // ¥1,000,000 across all platforms
                    "corporatePlatformCapMinor", 100_000_000d,  // ¥1,000,000 on one platform
                    "corporateTotalCapMinor", 500_000_000d,     // ¥5,000,000 across all platforms
                    "criticalCapMultiple", 2d,                  // ≥ 2 × the cap: CRITICAL (else HIGH)
                    "unknownTypeHoldDays", 10d,                 // a party no payment has typed: individual caps after this
                    "reemitMinGrowth", 0.25),
            PAYMENT_RESERVE_MISUSE, ordered(
                    // D3c: client reserve money put to the institution's own use, per institution per day
                    "feeAllowanceShare", 0.01,                  // fee income to own accounts: ≤ 1 % of the day's outflow to others
                    "minMisuseAmountMinor", 10_000_000d,        // ≥ ¥100,000 beyond the allowance
                    "criticalAmountMinor", 100_000_000d,        // ≥ ¥1,000,000: CRITICAL (else HIGH)
                    // Clearing payments come by payer account, and a backlog replays the payer partitions days apart
                    // (the demo's thin history: one poll of a partition spans two days or more), so a day takes late
                    // payments for 3 days; the own-account part, which needs the whole day's outflow, is judged then.
                    "graceMinutes", 4_320d,
                    "reemitMinGrowth", 0.25),
            CLEARING_BYPASS, ordered(
                    // D3d: cross-bank institution payments not cleared by a licensed clearing organisation
                    "minDailyPayments", 10d,                    // ≥ 10 such payments a day …
                    "minDailyAmountMinor", 10_000_000d,         // … or ≥ ¥100,000
                    "criticalDailyAmountMinor", 100_000_000d,   // ≥ ¥1,000,000 a day: CRITICAL (else HIGH)
                    "licensedClearingHouse.NUCC", 1d,           // 网联; 1 = licensed, 0 = not (an open family, see above)
                    "licensedClearingHouse.CUP", 1d,            // 银联
                    "graceMinutes", 4_320d,                     // late payments count for 3 days (see D3c); judged per payment
                    "reemitMinGrowth", 0.25),
            UNLICENSED_PAYMENT, ordered(
                    // D3e: payments under an institution id that is no licensed, active PAYMENT_INSTITUTION
                    "minDailyPayments", 20d,                    // ≥ 20 payments a day …
                    "minDailyAmountMinor", 5_000_000d,          // … or ≥ ¥50,000 (one mis-keyed record is no business)
                    "criticalDailyAmountMinor", 100_000_000d,   // ≥ ¥1,000,000 a day: CRITICAL (else HIGH)
                    "graceMinutes", 4_320d,                     // late payments count for 3 days (see D3c); judged per payment
                    "reemitMinGrowth", 0.25),
            LOOK_THROUGH, ordered(
                    // D8 tracing: payments followed after the origin, and how long traced money is followed in one account
                    "maxHops", 4d,
                    "horizonHours", 72d,
                    "loanMatchMinutes", 120d,                   // custody LOAN_DISBURSEMENT ↔ its clearing payment, ±2 h
                    "maxLedgerDelayMinutes", 2_160d),           // a quiet ledger: the payment leaves as platform funds 36 h on
            SELF_FINANCING, ordered(
                    // D8a: traced loan money back at the platform's own or related parties' accounts, 30 days
                    "windowDays", 30d,
                    "minAmountMinor", 100_000_000d,             // ≥ ¥1,000,000
                    "minShare", 0.20,                           // or ≥ 20 % of the loans disbursed in the window …
                    "minShareAmountMinor", 10_000_000d,         // … and ≥ ¥100,000
                    "criticalShare", 0.50,                      // ≥ 50 %: CRITICAL (else HIGH)
                    "reemitMinGrowth", 0.25),
            CONCENTRATED_FINAL_USE, ordered(
                    // D8b: one platform's borrowers' loans converging on one account, 7 days
                    "windowDays", 7d,
                    "minBorrowers", 5d,
                    "minAmountMinor", 50_000_000d,              // ≥ ¥500,000
                    "minInflowShare", 0.50,                     // ≥ 50 % of the account's inflow in the window
                    "criticalAmountMinor", 500_000_000d,        // ≥ ¥5,000,000: CRITICAL (else HIGH)
                    "reemitMinGrowth", 0.25));

    public static Map<String, Double> of(String detector) {
        Map<String, Double> d = DEFAULTS.get(detector);
        if (d == null) {
            throw new IllegalArgumentException("unknown detector " + detector);
        }
        return d;
    }

    public static boolean isKnown(String detector) {
        return DEFAULTS.containsKey(detector);
    }

    /** Whether a rule record may set {@code name} for {@code detector}: a default, or one of an open family. */
    public static boolean acceptsParam(String detector, String name) {
        if (of(detector).containsKey(name)) {
            return true;
        }
        String prefix = OPEN_PARAM_PREFIXES.get(detector);
        return prefix != null && name.startsWith(prefix) && name.length() > prefix.length();
    }

    public static Map<String, Map<String, Double>> all() {
        return DEFAULTS;
    }

    /** The names that raise alerts: every rule's name but those that only tune shared machinery ({@link #LOOK_THROUGH}). */
    public static Set<String> alerting() {
        Set<String> out = new TreeSet<>(DEFAULTS.keySet());
        out.remove(LOOK_THROUGH);
        return out;
    }

    /** Map.of stops at ten entries; the detectors outnumber that. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Double>> detectors(Object... kv) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (m.put((String) kv[i], (Map<String, Double>) kv[i + 1]) != null) {
                throw new IllegalStateException("detector " + kv[i] + " defined twice");
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
