package fundwatch.topology.alert;

import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import java.util.List;
import java.util.Map;

/**
 * A detector's current verdict on one (detector, subject, window). The alert lifecycle decides whether it is
 * new, a material change (next revision) or a repeat (not re-emitted).
 *
 * @param materialValue the quantity whose growth makes a revision worth sending (e.g. the amount involved)
 */
public record Finding(String detector, String subjectId, SubjectType subjectType, String platformId,
        String regionCode, long windowStart, long windowEnd, long lastEventTime, Severity severity, double score,
        Map<String, Double> metrics, Map<String, Double> thresholds, List<EvidenceItem> evidence,
        String ruleVersion, String summary, double materialValue, double reemitMinGrowth) {

    public Finding {
        if (score < 0 || score > 1 || Double.isNaN(score)) {
            throw new IllegalArgumentException("score must be within [0, 1]: " + score);
        }
        evidence = evidence.size() > WindowState.MAX_EVIDENCE ? evidence.subList(0, WindowState.MAX_EVIDENCE)
                : evidence;
    }
}
