package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.DetectorRule;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.Scheme;
import fundwatch.simulator.SimEvent;
import fundwatch.simulator.TopicRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Simulated markets (honest platforms with their labelled near misses, and labelled schemes) through the real
 * topology, scored by the strict rule of {@link TruthEvaluation}: per detector, recall ≥ 0.95 of the scheme records
 * expecting it and precision ≥ 0.9 of its alerts (alertIds) — a false alarm about a near miss, about another
 * subject of a scheme's platform or before a scheme's onset counts against it. Switching a detector off makes the
 * check fail, so the check measures the detectors, not itself. Two markets: three busy days for the schemes that
 * show within hours, and a thin market of 66 days for those that need weeks — D6's 28-day baseline, its
 * month-over-month shrink check, the hub's returns — and the steady grower.
 */
class MarketEvaluationTest {
    /** Detectors whose schemes the three-day market plants and which must be found within its span. */
    static final List<String> MUST_FIND = List.of("CUSTODY_BYPASS", "UNRECONCILED_FLOW", "ABNORMAL_YIELD",
            "NEW_MONEY_PAYS_OLD", "YIELD_SUBSIDY", "FUND_POOLING", "MATURITY_MISMATCH", "BORROWING_CAP",
            "PAYMENT_RESERVE_MISUSE", "CLEARING_BYPASS", "UNLICENSED_PAYMENT", "SELF_FINANCING",
            "CONCENTRATED_FINAL_USE");
    /** The payment-institution detectors (D3c–D3e), switched off together in one replay. */
    static final List<String> PAYMENT_INSTITUTION_DETECTORS = List.of("PAYMENT_RESERVE_MISUSE", "CLEARING_BYPASS",
            "UNLICENSED_PAYMENT");
    /** …and those the long market must find. */
    static final List<String> MUST_FIND_LONG = List.of("RAPID_GROWTH", "ILLEGAL_FUNDRAISING", "BORROWING_CAP");
    static final double RECALL_FLOOR = 0.95;
    static final double PRECISION_FLOOR = 0.9;

    private static Map<String, TruthEvaluation.DetectorScore> evaluate(List<SimEvent> first) throws Exception {
        return evaluate(MarketConfig.builder().seed(7).simulatedDays(3).build(), first);
    }

    private static Map<String, TruthEvaluation.DetectorScore> evaluate(MarketConfig config, List<SimEvent> first)
            throws Exception {
        MarketSimulator market = new MarketSimulator(config);
        MarketReplay.Result r = MarketReplay.run(market.market(), config.start(), first);
        assertEquals(0, r.deadLetters(), "the simulator speaks the contract: nothing dead-lettered");
        List<fundwatch.simulator.TruthRecord> truth = market.truth();
        assertTrue(truth.stream().anyMatch(fundwatch.simulator.TruthRecord::isNearMiss), "a market with near misses");
        return TruthEvaluation.score(truth, r.alerts().stream().map(AlertSighting::of).toList());
    }

    /** The floors, as one verdict: null when met, else what failed. */
    static String floorsFailure(Map<String, TruthEvaluation.DetectorScore> scores) {
        return floorsFailure(scores, MUST_FIND);
    }

    static String floorsFailure(Map<String, TruthEvaluation.DetectorScore> scores, List<String> mustFind) {
        for (String d : mustFind) {
            TruthEvaluation.DetectorScore s = scores.get(d);
            if (s == null || s.expected() == 0) {
                return d + ": the market planted no scheme for it";
            }
        }
        StringBuilder failures = new StringBuilder();
        for (TruthEvaluation.DetectorScore s : scores.values()) {
            if (s.recall() != null && s.recall() < RECALL_FLOOR) {
                failures.append(s.detector()).append(": recall ").append(s.recall()).append(" (")
                        .append(s.found()).append(" of ").append(s.expected()).append("); ");
            }
            // Undefined precision (no alerts) fails only through recall: a detector nobody expected stays quiet.
            if (s.precision() != null && s.precision() < PRECISION_FLOOR) {
                failures.append(s.detector()).append(": precision ").append(s.precision()).append(" (")
                        .append(s.falsePositives()).append(" false of ").append(s.alerts()).append(" alerts; near misses hit ")
                        .append(s.nearMissesHit()).append("; about ").append(s.falsePositiveSubjects()).append("); ");
            }
        }
        return failures.length() == 0 ? null : failures.toString();
    }

    @Test
    void shouldFindEveryPlantedSchemeAndFlagNothingHonest() throws Exception {
        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(List.of());

        assertEquals(null, floorsFailure(scores), () -> "scores: " + scores.values());
    }

    @Test
    void shouldFindGrowthRectificationBreachesTheHubAndTheBorrowerInAThinMarketOfNineWeeks() throws Exception {
        // A spurt after 30 days, a rectifying platform that grows through June and July, a hub paying returns
        // from day 10, one borrower on four platforms where loans take days to fill — among four honest platforms
        MarketConfig config = MarketConfig.builder().seed(7).simulatedDays(66).volume(0.05).honestPlatforms(4)
                .noSchemes().scheme(Scheme.RAPID_GROWTH).scheme(Scheme.RECTIFYING_GROWER)
                .scheme(Scheme.UNLICENSED_HUB).scheme(Scheme.BORROWER_OVER_CAPS).build();

        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(config, List.of());

        assertEquals(null, floorsFailure(scores, MUST_FIND_LONG), () -> "scores: " + scores.values());
        assertEquals(2, scores.get("RAPID_GROWTH").expected(), () -> "scores: " + scores.values());
    }

    @Test
    void shouldFailTheFloorsWhenADetectorIsSwitchedOff() throws Exception {
        // The regulator disables CUSTODY_BYPASS before the market opens.
        DetectorRule off = DetectorRule.newBuilder().setDetector("CUSTODY_BYPASS").setEnabled(false)
                .setVersion("off").setParams(Map.of()).setUpdatedAt(MarketConfig.DEFAULT_START).build();

        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(List.of(
                new SimEvent(TopicRole.RULES, "CUSTODY_BYPASS", off, MarketConfig.DEFAULT_START.toEpochMilli())));

        String failure = floorsFailure(scores);
        assertTrue(failure != null && failure.contains("CUSTODY_BYPASS: recall 0.0"), failure);
    }

    @Test
    void shouldFailTheFloorsWhenAPaymentInstitutionDetectorIsSwitchedOff() throws Exception {
        // The regulator disables D3c, D3d and D3e before the market opens: one replay, and the floors of each of them
        // fail on its own (so each one's absence is caught, not only the three together).
        List<SimEvent> off = PAYMENT_INSTITUTION_DETECTORS.stream().map(d -> new SimEvent(TopicRole.RULES, d,
                DetectorRule.newBuilder().setDetector(d).setEnabled(false).setVersion("off").setParams(Map.of())
                        .setUpdatedAt(MarketConfig.DEFAULT_START).build(), MarketConfig.DEFAULT_START.toEpochMilli()))
                .toList();

        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(off);

        String failure = floorsFailure(scores, PAYMENT_INSTITUTION_DETECTORS);
        for (String d : PAYMENT_INSTITUTION_DETECTORS) {
            assertTrue(failure != null && failure.contains(d + ": recall 0.0"), d + " not caught: " + failure);
        }
    }

    @Test
    void shouldFailTheFloorsWhenALookThroughDetectorIsSwitchedOff() throws Exception {
        // Both D8 detectors off in one replay: each must then miss its scheme, and the floors must say so.
        long at = MarketConfig.DEFAULT_START.toEpochMilli();
        List<SimEvent> off = List.of("SELF_FINANCING", "CONCENTRATED_FINAL_USE").stream()
                .map(d -> new SimEvent(TopicRole.RULES, d, DetectorRule.newBuilder().setDetector(d).setEnabled(false)
                        .setVersion("off").setParams(Map.of()).setUpdatedAt(MarketConfig.DEFAULT_START).build(), at))
                .toList();

        Map<String, TruthEvaluation.DetectorScore> scores = evaluate(off);

        assertEquals(0.0, scores.get("SELF_FINANCING").recall(), () -> "scores: " + scores.values());
        assertEquals(0.0, scores.get("CONCENTRATED_FINAL_USE").recall(), () -> "scores: " + scores.values());
        String failure = floorsFailure(scores);
        assertTrue(failure != null && (failure.startsWith("SELF_FINANCING: recall 0.0")
                || failure.startsWith("CONCENTRATED_FINAL_USE: recall 0.0")), failure);
    }
}
