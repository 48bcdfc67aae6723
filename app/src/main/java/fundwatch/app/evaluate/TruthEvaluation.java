package fundwatch.app.evaluate;

import fundwatch.simulator.TruthRecord;
import fundwatch.topology.rules.DetectorDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores alerts against labelled ground truth, per detector, by one strict rule that {@code evaluate},
 * {@code MarketEvaluationTest} and the README all use.
 *
 * <ul>
 *   <li>An alert revision <b>matches</b> a scheme's truth record when (1) its detector is one the record expects,
 *       (2) its subject is the record's subject — the same id, and the same subject type when the record names one
 *       (a platform-level record is matched by alerts about the platform, not about its products, accounts or
 *       parties) — and (3) its window {@code [windowStart, windowEnd]} overlaps
 *       {@code [onset − grace, end of the scheme]} (a scheme without an end runs to the end of the data).</li>
 *   <li>An <b>alert</b> is an alertId (an episode with its revisions). It is a true positive when one of its
 *       revisions matches a scheme record; every other alert of the detector is a <b>false positive</b> — an alert
 *       about an honest subject, about another subject of a scheme's platform, or about a scheme's subject before
 *       its onset.</li>
 *   <li><b>Near misses</b> (records of kind NEAR_MISS) are honest: an alert of one of their detectors about their
 *       subject, at any time, is a false positive and is named ("near misses hit").</li>
 *   <li><b>Precision</b> = true-positive alerts / alerts, for every detector; {@code null} (undefined) when the
 *       detector raised none. <b>Recall</b> = scheme records with a matching alert / scheme records expecting the
 *       detector; {@code null} when none expects it.</li>
 *   <li><b>Detection delay</b> per found record: the earliest {@code lastEventTime} among its matching revisions
 *       minus the onset, in hours, not clamped (an episode that began within the grace before the onset gives a
 *       negative delay); median (lower) and maximum.</li>
 *   <li><b>Alert ids per found scheme</b> (what a case system would open) and <b>messages per alertId</b>
 *       (revisions / distinct alertIds), as before.</li>
 * </ul>
 */
public final class TruthEvaluation {
    /** How long before a scheme's onset an alert window may start and still be about the scheme: late events. */
    public static final Duration GRACE = Duration.ofHours(1);

    private TruthEvaluation() {
    }

    /**
     * One detector's score.
     *
     * @param expected        scheme records expecting the detector
     * @param found           of those, the ones with a matching alert
     * @param alerts          distinct alertIds the detector raised
     * @param falsePositives  alertIds that match no scheme record
     * @param nearMissesHit   near misses alerted on, "NAME subjectId" (sorted)
     * @param precision       (alerts − falsePositives) / alerts, or null when there were no alerts
     * @param recall          found / expected, or null when nothing expected the detector
     * @param falsePositiveSubjects the subjects of the false positives (type:id, sorted, at most 20)
     */
    public record DetectorScore(String detector, int expected, int found, int alerts, int falsePositives,
            List<String> nearMissesHit, Double precision, Double recall, Double medianDelayHours,
            Double maxDelayHours, int messages, double messagesPerAlertId, Double alertIdsPerFoundScheme,
            int maxAlertIdsPerScheme, List<String> falsePositiveSubjects) {
    }

    public static Map<String, DetectorScore> score(List<TruthRecord> truth, Collection<AlertSighting> alerts) {
        List<TruthRecord> schemes = truth.stream().filter(t -> !t.isNearMiss()).toList();
        List<TruthRecord> nearMisses = truth.stream().filter(TruthRecord::isNearMiss).toList();
        // Every detector fundwatch runs is scored, also one that neither raised nor was expected to raise anything.
        Set<String> detectors = new TreeSet<>(DetectorDefaults.alerting());
        truth.forEach(t -> detectors.addAll(t.detectors()));
        alerts.forEach(a -> detectors.add(a.detector()));
        Map<String, DetectorScore> out = new TreeMap<>();
        for (String detector : detectors) {
            List<TruthRecord> expected = schemes.stream().filter(t -> t.detectors().contains(detector)).toList();
            List<AlertSighting> raised = alerts.stream().filter(a -> a.detector().equals(detector)).toList();
            Map<String, List<AlertSighting>> byId = new LinkedHashMap<>();
            raised.forEach(a -> byId.computeIfAbsent(a.alertId(), k -> new ArrayList<>()).add(a));
            int falsePositives = 0;
            Set<String> fpSubjects = new TreeSet<>();
            Set<String> nearHit = new TreeSet<>();
            for (List<AlertSighting> revisions : byId.values()) {
                boolean tp = revisions.stream().anyMatch(a -> expected.stream().anyMatch(t -> matches(t, a)));
                if (!tp) {
                    falsePositives++;
                    AlertSighting a = revisions.get(0);
                    fpSubjects.add(a.subjectType() + ":" + a.subjectId());
                    nearMisses.stream().filter(n -> n.detectors().contains(detector) && sameSubject(n, a))
                            .forEach(n -> nearHit.add(n.scheme() + " " + n.subjectId()));
                }
            }
            List<Double> delays = new ArrayList<>();
            int found = 0;
            int idsOfFound = 0;
            int maxIds = 0;
            for (TruthRecord t : expected) {
                List<AlertSighting> matching = raised.stream().filter(a -> matches(t, a)).toList();
                if (matching.isEmpty()) {
                    continue;
                }
                found++;
                long first = matching.stream().mapToLong(AlertSighting::lastEventTime).min().orElseThrow();
                delays.add((first - t.onsetEventTime().toEpochMilli()) / 3_600_000.0);
                int ids = (int) matching.stream().map(AlertSighting::alertId).distinct().count();
                idsOfFound += ids;
                maxIds = Math.max(maxIds, ids);
            }
            int alertIds = byId.size();
            delays.sort(Double::compare);
            out.put(detector, new DetectorScore(detector, expected.size(), found, alertIds, falsePositives,
                    List.copyOf(nearHit),
                    alertIds == 0 ? null : (alertIds - falsePositives) / (double) alertIds,
                    expected.isEmpty() ? null : found / (double) expected.size(),
                    delays.isEmpty() ? null : delays.get((delays.size() - 1) / 2),
                    delays.isEmpty() ? null : delays.get(delays.size() - 1),
                    raised.size(), alertIds == 0 ? 0 : raised.size() / (double) alertIds,
                    found == 0 ? null : idsOfFound / (double) found, maxIds,
                    fpSubjects.stream().limit(20).toList()));
        }
        return out;
    }

    /** The strict rule: expected detector, the record's own subject, and a window that overlaps the scheme's. */
    static boolean matches(TruthRecord t, AlertSighting a) {
        if (t.isNearMiss() || !t.detectors().contains(a.detector()) || !sameSubject(t, a)) {
            return false;
        }
        long from = t.onsetEventTime().toEpochMilli() - GRACE.toMillis();
        long to = t.endEventTime() == null ? Long.MAX_VALUE : t.endEventTime().toEpochMilli();
        return a.windowEnd() >= from && a.windowStart() <= to;
    }

    private static boolean sameSubject(TruthRecord t, AlertSighting a) {
        return t.subjectId().equals(a.subjectId())
                && (t.subjectType() == null || a.subjectType() == null || t.subjectType().equals(a.subjectType()));
    }
}
