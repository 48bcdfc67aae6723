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

    /** The version reported in alerts while no rule record has been published. */
    public static final String DEFAULT_VERSION = "default";

    private static final Map<String, Map<String, Double>> DEFAULTS = Map.of(
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

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
