package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.DetectorRule;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.SimEvent;
import fundwatch.simulator.TopicRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small simulated market (honest platforms and labelled schemes) through the real topology: every labelled
 * scheme is found, nothing honest is flagged — and switching a detector off makes the check fail, so the check
 * measures the detectors, not itself.
 */
class MarketEvaluationTest {
    /** Detectors whose schemes this market plants and which must be found within its span. */
    static final List<String> MUST_FIND = List.of("CUSTODY_BYPASS", "UNRECONCILED_FLOW");
    static final double PRECISION_FLOOR = 0.9;

    private static Map<String, TruthEvaluation.DetectorScore> evaluate(List<SimEvent> first) throws Exception {
        MarketConfig config = MarketConfig.builder().seed(7).simulatedDays(3).build();
        MarketSimulator market = new MarketSimulator(config);
        MarketReplay.Result r = MarketReplay.run(market.market(), config.start(), first);
        assertEquals(0, r.deadLetters(), "the simulator speaks the contract: nothing dead-lettered");
        return TruthEvaluation.score(market.truth(),
                r.alerts().stream().map(AlertSighting::of).toList(), true);
    }

    /** The floors, as one verdict: null when met, else what failed. */
    static String floorsFailure(Map<String, TruthEvaluation.DetectorScore> scores) {
        for (String d : MUST_FIND) {
            TruthEvaluation.DetectorScore s = scores.get(d);
            if (s == null || s.truthRecords() == 0) {
                return d + ": the market planted no scheme for it";
            }
            if (s.recall() < 1.0) {
                return d + ": recall " + s.recall();
            }
        }
        for (TruthEvaluation.DetectorScore s : scores.values()) {
            if (s.alertedSubjects() > 0 && s.precision() < PRECISION_FLOOR) {
                return s.detector() + ": precision " + s.precision() + " (" + s.alertedSubjects() + " subjects alerted, "
                        + s.truePositiveSubjects() + " labelled)";
            }
        }
        return null;
    }

    @Test
    void shouldFindEveryPlantedSchemeAndFlagNothingHonest() throws Exception {
        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(List.of());

        assertEquals(null, floorsFailure(scores), () -> "scores: " + scores.values());
    }

    @Test
    void shouldFailTheFloorsWhenADetectorIsSwitchedOff() throws Exception {
        // The regulator disables CUSTODY_BYPASS before the market opens.
        DetectorRule off = DetectorRule.newBuilder().setDetector("CUSTODY_BYPASS").setEnabled(false)
                .setVersion("off").setParams(Map.of()).setUpdatedAt(MarketConfig.DEFAULT_START).build();

        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(List.of(
                new SimEvent(TopicRole.RULES, "CUSTODY_BYPASS", off, MarketConfig.DEFAULT_START.toEpochMilli())));

        String failure = floorsFailure(scores);
        assertTrue(failure != null && failure.startsWith("CUSTODY_BYPASS: recall 0.0"), failure);
    }
}
