package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fundwatch.simulator.TruthRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many cases a case system would open per planted scheme, and how often each is updated. */
class TruthEvaluationTest {
    private static final Instant ONSET = Instant.parse("2026-11-01T00:00:00Z");

    private static AlertSighting revision(String alertId, int revision, String subject) {
        return new AlertSighting(alertId, revision, "FUND_POOLING", subject, subject, ONSET.toEpochMilli(),
                ONSET.toEpochMilli());
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
        assertEquals(2, s.detected());
        assertEquals(3, s.alertIds());
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
