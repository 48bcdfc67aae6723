package fundwatch.app.evaluate;

import fundwatch.simulator.TruthRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores alerts against a simulated market's ground truth, per detector.
 *
 * <ul>
 *   <li>An alert <b>matches</b> a truth record when its detector is one the record expects and its subject — or,
 *       for alerts about a product or party of a platform, its platform — is the record's subject.</li>
 *   <li><b>Recall</b>: truth records with at least one matching alert / truth records expecting the detector.</li>
 *   <li><b>Precision</b>: alerted subjects (detector, subject) that match some truth record / all alerted subjects
 *       of the detector. A revision is not a new alert: subjects are counted once.</li>
 *   <li><b>Detection delay</b>: per matched record, from the scheme's onset to the earliest matching alert
 *       (never negative); median and maximum. When fundwatch's clock was event time (a replay), the alert's
 *       {@code detectedAt} marks it, so a detector's designed wait (D3b's match window) counts; otherwise the
 *       event time of the alert's newest evidence.</li>
 *   <li><b>Alert ids per found scheme</b>: per detected truth record, the distinct alertIds matching it — what a
 *       case system would open as cases; mean and maximum. An ongoing scheme should be one episode, so one id
 *       (DETECTION.md "Alert behaviour").</li>
 *   <li><b>Messages per alertId</b>: alert revisions of the detector / its distinct alertIds — how often a case
 *       is updated.</li>
 * </ul>
 */
public final class TruthEvaluation {
    private TruthEvaluation() {
    }

    public record DetectorScore(String detector, int truthRecords, int detected, int alertedSubjects,
            int truePositiveSubjects, double precision, double recall, Double medianDelayHours,
            Double maxDelayHours, int alertIds, int messages, double messagesPerAlertId,
            Double alertIdsPerFoundScheme, int maxAlertIdsPerScheme) {
    }

    public static Map<String, DetectorScore> score(List<TruthRecord> truth, Collection<AlertSighting> alerts) {
        return score(truth, alerts, false);
    }

    /** @param clockIsEventTime the alerts' detectedAt is event time (replayed market), not a wall clock */
    public static Map<String, DetectorScore> score(List<TruthRecord> truth, Collection<AlertSighting> alerts,
            boolean clockIsEventTime) {
        Set<String> detectors = new TreeSet<>();
        truth.forEach(t -> detectors.addAll(t.detectors()));
        alerts.forEach(a -> detectors.add(a.detector()));
        Map<String, DetectorScore> out = new TreeMap<>();
        for (String detector : detectors) {
            List<TruthRecord> expected = truth.stream().filter(t -> t.detectors().contains(detector)).toList();
            List<AlertSighting> raised = alerts.stream().filter(a -> a.detector().equals(detector)).toList();
            Set<String> subjects = new LinkedHashSet<>();
            Set<String> truePositives = new LinkedHashSet<>();
            for (AlertSighting a : raised) {
                subjects.add(a.subjectId());
                if (expected.stream().anyMatch(t -> matches(t, a))) {
                    truePositives.add(a.subjectId());
                }
            }
            List<Double> delays = new ArrayList<>();
            int detected = 0;
            int idsOfFound = 0;
            int maxIds = 0;
            for (TruthRecord t : expected) {
                long first = raised.stream().filter(a -> matches(t, a))
                        .mapToLong(a -> clockIsEventTime ? a.detectedAt() : a.lastEventTime())
                        .min().orElse(Long.MIN_VALUE);
                if (first != Long.MIN_VALUE) {
                    detected++;
                    delays.add(Math.max(0, first - t.onsetEventTime().toEpochMilli()) / 3_600_000.0);
                    int ids = (int) raised.stream().filter(a -> matches(t, a)).map(AlertSighting::alertId).distinct()
                            .count();
                    idsOfFound += ids;
                    maxIds = Math.max(maxIds, ids);
                }
            }
            int alertIds = (int) raised.stream().map(AlertSighting::alertId).distinct().count();
            delays.sort(Double::compare);
            out.put(detector, new DetectorScore(detector, expected.size(), detected, subjects.size(),
                    truePositives.size(),
                    subjects.isEmpty() ? 0 : truePositives.size() / (double) subjects.size(),
                    expected.isEmpty() ? 0 : detected / (double) expected.size(),
                    delays.isEmpty() ? null : delays.get((delays.size() - 1) / 2),
                    delays.isEmpty() ? null : delays.get(delays.size() - 1),
                    alertIds, raised.size(), alertIds == 0 ? 0 : raised.size() / (double) alertIds,
                    detected == 0 ? null : idsOfFound / (double) detected, maxIds));
        }
        return out;
    }

    static boolean matches(TruthRecord t, AlertSighting a) {
        return t.detectors().contains(a.detector())
                && (t.subjectId().equals(a.subjectId()) || t.subjectId().equals(a.platformId()));
    }
}
