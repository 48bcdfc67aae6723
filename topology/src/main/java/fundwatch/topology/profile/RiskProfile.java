package fundwatch.topology.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A platform's open findings from every detector, combined into one score.
 *
 * <p>The score is a noisy-OR of the findings' scores: {@code risk = 1 − Π (1 − score_i)}. It stays within
 * [0, 1], is at least the strongest single finding, and rises with each further independent finding — two
 * medium findings from different detectors say more than either alone, but never more than certainty. A finding
 * stays open for {@link #OPEN_DAYS} days of event time after its window ends.
 */
public record RiskProfile(String platformId, String regionCode, double score, String highestSeverity,
        int openFindings, Map<String, Integer> openByDetector, long lastEventTime, List<OpenFinding> findings) {

    public static final int OPEN_DAYS = 30;
    /** Bounds the profile's size; the weakest findings beyond it leave first (they barely move the score). */
    public static final int MAX_FINDINGS = 200;
    private static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");

    public static RiskProfile empty(String platformId, String regionCode) {
        return new RiskProfile(platformId, regionCode, 0, null, 0, Map.of(), 0, List.of());
    }

    /** The profile with this finding's latest revision in place of any earlier one. */
    public RiskProfile with(OpenFinding f, String region) {
        List<OpenFinding> next = new ArrayList<>(findings.size() + 1);
        for (OpenFinding existing : findings) {
            if (!existing.alertId().equals(f.alertId())) {
                next.add(existing);
            }
        }
        next.add(f);
        return of(platformId, region != null ? region : regionCode, next);
    }

    /** The profile without findings whose window ended before {@code horizon}. */
    public RiskProfile expire(long horizon) {
        List<OpenFinding> open = findings.stream().filter(f -> f.windowEnd() >= horizon).toList();
        return open.size() == findings.size() ? this : of(platformId, regionCode, open);
    }

    static RiskProfile of(String platformId, String regionCode, List<OpenFinding> findings) {
        List<OpenFinding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingDouble(OpenFinding::score).reversed().thenComparing(OpenFinding::alertId));
        if (sorted.size() > MAX_FINDINGS) {
            sorted = new ArrayList<>(sorted.subList(0, MAX_FINDINGS));
        }
        double survive = 1.0;
        int highest = -1;
        long last = 0;
        Map<String, Integer> byDetector = new TreeMap<>();
        for (OpenFinding f : sorted) {
            survive *= 1.0 - Math.max(0, Math.min(1, f.score()));
            highest = Math.max(highest, SEVERITIES.indexOf(f.severity()));
            last = Math.max(last, f.lastEventTime());
            byDetector.merge(f.detector(), 1, Integer::sum);
        }
        return new RiskProfile(platformId, regionCode, 1.0 - survive, highest < 0 ? null : SEVERITIES.get(highest),
                sorted.size(), byDetector, last, List.copyOf(sorted));
    }
}
