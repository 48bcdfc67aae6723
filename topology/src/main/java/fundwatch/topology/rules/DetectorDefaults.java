package fundwatch.topology.rules;

import java.util.LinkedHashMap;
import java.util.Map;

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
                    "graceMinutes", 60d,
                    "highDailyAmountMinor", 10_000_000d,
                    "criticalDailyAmountMinor", 100_000_000d,
                    "reemitMinGrowth", 0.25),
            ABNORMAL_YIELD, ordered(
                    "ceilingLprMultiple", 4d,                   // judicial ceiling: 4 × LPR_1Y (D4)
                    "criticalYieldBps", 2_400d,                 // > 24 %: CRITICAL
                    "lprFallbackBps", 300d,                     // LPR_1Y from 2025-05-20, until reference.rates has one
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
                    "exactCounterpartyCap", 1_000d,             // exact distinct counts up to this, then HyperLogLog
                    "graceMinutes", 60d,
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

    public static Map<String, Map<String, Double>> all() {
        return DEFAULTS;
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
