package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.simulator.TruthRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The strict scorer: what counts as a hit, what is a false positive, near misses, undefined precision, delays —
 * and how many cases a case system would open per planted scheme.
 */
class TruthEvaluationTest {
    private static final Instant ONSET = Instant.parse("2026-11-01T00:00:00Z");
    private static final long HOUR = 3_600_000L;

    private static TruthRecord scheme(String detector, String type, String subject) {
        return new TruthRecord("SCHEME", List.of(detector), subject, ONSET, TruthRecord.Kind.SCHEME, type, null);
    }

    /** An alert revision whose window is [from, to] hours after the onset, newest evidence at {@code to}. */
    private static AlertSighting alert(String alertId, int revision, String detector, String type, String subject,
            String platform, double from, double to) {
        long start = ONSET.toEpochMilli() + (long) (from * HOUR);
        long end = ONSET.toEpochMilli() + (long) (to * HOUR);
        return new AlertSighting(alertId, revision, detector, type, subject, platform, start, end, end, end);
    }

    private static AlertSighting revision(String alertId, int revision, String subject) {
        return alert(alertId, revision, "FUND_POOLING", "PLATFORM", subject, subject, 0, 1);
    }

    @Test
    void shouldCountAnAlertAboutAnotherSubjectOfTheSchemesPlatformAsAFalsePositive() {
        // Given a pooling scheme on P-1 (a platform-level record) and an alert about one of P-1's products
        TruthRecord pooling = scheme("FUND_POOLING", "PLATFORM", "P-1");
        AlertSighting product = alert("a", 1, "FUND_POOLING", "PRODUCT", "PRD-9", "P-1", 0, 5);

        // When / Then the matcher refuses it (subject-or-platform matching would have taken it), and the score
        // has one false positive, precision 0 and recall 0
        assertFalse(TruthEvaluation.matches(pooling, product));
        TruthEvaluation.DetectorScore s = TruthEvaluation.score(List.of(pooling), List.of(product)).get("FUND_POOLING");
        assertEquals(1, s.falsePositives());
        assertEquals(0.0, s.precision());
        assertEquals(0.0, s.recall());
        assertEquals(List.of("PRODUCT:PRD-9"), s.falsePositiveSubjects());
    }

    @Test
    void shouldCountAnAlertBeforeTheOnsetAsAFalsePositiveAndOneWithinTheGraceAsAHit() {
        TruthRecord growth = scheme("RAPID_GROWTH", "PLATFORM", "P-1");
        // A window that ended two hours before the onset (more than the one-hour grace), and one that ended 30
        // minutes before it, both about the scheme's own platform
        AlertSighting early = alert("early", 1, "RAPID_GROWTH", "PLATFORM", "P-1", "P-1", -48, -2);
        AlertSighting withinGrace = alert("grace", 1, "RAPID_GROWTH", "PLATFORM", "P-1", "P-1", -24, -0.5);

        assertFalse(TruthEvaluation.matches(growth, early));
        assertTrue(TruthEvaluation.matches(growth, withinGrace));
        TruthEvaluation.DetectorScore s = TruthEvaluation.score(List.of(growth), List.of(early, withinGrace))
                .get("RAPID_GROWTH");
        assertEquals(2, s.alerts());
        assertEquals(1, s.falsePositives());
        assertEquals(0.5, s.precision());
        assertEquals(1.0, s.recall());
        // The delay is not clamped: the hit's newest evidence is half an hour before the onset.
        assertEquals(-0.5, s.medianDelayHours(), 1e-9);
    }

    @Test
    void shouldNotMatchADetectorTheRecordDoesNotExpectNorAnAlertAfterTheSchemesEnd() {
        TruthRecord ended = new TruthRecord("SCHEME", List.of("CUSTODY_BYPASS"), "P-1", ONSET,
                TruthRecord.Kind.SCHEME, "PLATFORM", ONSET.plus(Duration.ofDays(1)));

        assertFalse(TruthEvaluation.matches(ended, alert("x", 1, "UNRECONCILED_FLOW", "PLATFORM", "P-1", "P-1", 0, 1)));
        assertFalse(TruthEvaluation.matches(ended, alert("y", 1, "CUSTODY_BYPASS", "PLATFORM", "P-1", "P-1", 30, 40)));
        assertTrue(TruthEvaluation.matches(ended, alert("z", 1, "CUSTODY_BYPASS", "PLATFORM", "P-1", "P-1", 20, 30)));
    }

    @Test
    void shouldNameTheNearMissesHitAndReportPrecisionUndefinedWithoutAlerts() {
        List<TruthRecord> truth = List.of(scheme("YIELD_SUBSIDY", "PLATFORM", "P-1"),
                new TruthRecord("SUBSIDY_WITHIN_LIMITS", List.of("YIELD_SUBSIDY"), "P-2", ONSET,
                        TruthRecord.Kind.NEAR_MISS, "PLATFORM", null),
                scheme("BORROWING_CAP", "PARTY", "pty-1"));
        List<AlertSighting> alerts = List.of(
                alert("hit", 1, "YIELD_SUBSIDY", "PLATFORM", "P-1", "P-1", 0, 30),
                alert("near", 1, "YIELD_SUBSIDY", "PLATFORM", "P-2", "P-2", 0, 30));

        Map<String, TruthEvaluation.DetectorScore> scores = TruthEvaluation.score(truth, alerts);

        TruthEvaluation.DetectorScore subsidy = scores.get("YIELD_SUBSIDY");
        assertEquals(1, subsidy.expected(), "a near miss is not something to find");
        assertEquals(1, subsidy.falsePositives());
        assertEquals(List.of("SUBSIDY_WITHIN_LIMITS P-2"), subsidy.nearMissesHit());
        assertEquals(0.5, subsidy.precision());
        assertEquals(30.0, subsidy.maxDelayHours(), 1e-9);
        TruthEvaluation.DetectorScore cap = scores.get("BORROWING_CAP");
        assertNull(cap.precision(), "no alerts: precision undefined, not 0 and not skipped");
        assertEquals(0.0, cap.recall());
    }

    @Test
    void shouldMatchOldTruthFilesWithoutASubjectTypeByIdAlone() {
        TruthRecord old = new TruthRecord("UNLICENSED_HUB", List.of("ILLEGAL_FUNDRAISING"), "6222", ONSET);

        assertTrue(TruthEvaluation.matches(old, alert("a", 1, "ILLEGAL_FUNDRAISING", "ACCOUNT", "6222", null, 0, 1)));
        assertFalse(TruthEvaluation.matches(old, alert("b", 1, "ILLEGAL_FUNDRAISING", "ACCOUNT", "6223", "6222", 0, 1)));
    }

    @Test
    void shouldReportAlertIdsPerFoundSchemeAndMessagesPerAlertId() {
        List<TruthRecord> truth = List.of(
                new TruthRecord("POOLING", List.of("FUND_POOLING"), "P-1", ONSET),
                new TruthRecord("POOLING", List.of("FUND_POOLING"), "P-2", ONSET),
                new TruthRecord("POOLING", List.of("FUND_POOLING"), "P-3", ONSET));
        // P-1: one episode, three revisions; P-2: two episodes of one revision each; P-3 is never found.
        List<AlertSighting> alerts = List.of(revision("a", 1, "P-1"), revision("a", 2, "P-1"),
                revision("a", 3, "P-1"), revision("b", 1, "P-2"), revision("c", 1, "P-2"));

        Map<String, TruthEvaluation.DetectorScore> scores = TruthEvaluation.score(truth, alerts);

        TruthEvaluation.DetectorScore s = scores.get("FUND_POOLING");
        assertEquals(2, s.found());
        assertEquals(3, s.alerts());
        assertEquals(5, s.messages());
        assertEquals(5 / 3.0, s.messagesPerAlertId(), 1e-9);
        assertEquals(1.5, s.alertIdsPerFoundScheme(), 1e-9);
        assertEquals(2, s.maxAlertIdsPerScheme());
    }

    @Test
    void shouldReportNoAlertIdsPerSchemeWhenNothingWasFound() {
        List<TruthRecord> truth = List.of(new TruthRecord("POOLING", List.of("FUND_POOLING"), "P-1", ONSET));

        TruthEvaluation.DetectorScore s = TruthEvaluation.score(truth, List.of()).get("FUND_POOLING");

        assertNull(s.alertIdsPerFoundScheme());
        assertEquals(0, s.messagesPerAlertId());
    }
}
