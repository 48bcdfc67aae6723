package fundwatch.app.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.evaluate.MarketReplay;
import fundwatch.avro.FundFlowAlert;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.TruthRecord;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default simulated market, six days of it, through the real topology (TopologyTestDriver with an in-memory
 * registry, via {@link MarketReplay}): the D4/D5 detectors find the planted Ponzi platform and stay quiet on the
 * honest ones, whose lenders are paid by their borrowers at 8–11 % a year and who pay no subsidies.
 */
class PonziMarketTest {
    private static final Set<String> D4_D5 = Set.of("ABNORMAL_YIELD", "NEW_MONEY_PAYS_OLD", "YIELD_SUBSIDY");
    private static String ponzi;
    private static List<FundFlowAlert> alerts;

    @BeforeAll
    static void givenSixDaysOfTheDefaultMarketReplayed() throws Exception {
        MarketConfig config = MarketConfig.builder().simulatedDays(6).build();
        MarketSimulator market = new MarketSimulator(config);
        ponzi = market.truth().stream().filter(t -> t.scheme().equals("PONZI")).map(TruthRecord::subjectId)
                .findFirst().orElseThrow();
        MarketReplay.Result r = MarketReplay.run(market.market(), config.start(), List.of());
        assertEquals(0, r.deadLetters());
        alerts = r.alerts().stream().filter(a -> D4_D5.contains(a.getDetector())).toList();
    }

    @Test
    void shouldFindThePonziWithEveryD4AndD5Detector() {
        List<FundFlowAlert> onPonzi = alerts.stream().filter(a -> ponzi.equals(a.getPlatformId())).toList();

        assertTrue(onPonzi.stream().anyMatch(a -> a.getDetector().equals("ABNORMAL_YIELD")
                && a.getMetrics().containsKey("declaredAnnualYieldBps") && !a.getMetrics().containsKey("realisedAnnualYieldBps")),
                "D4a on the advertised products");
        assertTrue(onPonzi.stream().anyMatch(a -> a.getDetector().equals("ABNORMAL_YIELD")
                && a.getMetrics().getOrDefault("realisedAnnualYieldBps", 0d) > 1200), "D4b on the interest paid");
        FundFlowAlert newMoney = onPonzi.stream().filter(a -> a.getDetector().equals("NEW_MONEY_PAYS_OLD"))
                .reduce((a, b) -> b).orElseThrow();
        // Only the Ponzi's old, honest loan book is still repaid by borrowers: almost no payout is borrower-funded.
        assertTrue(newMoney.getMetrics().get("gapShare") > 0.9, newMoney.getMetrics().toString());
        assertEquals("CRITICAL", newMoney.getSeverity().name());
        assertTrue(onPonzi.stream().anyMatch(a -> a.getDetector().equals("YIELD_SUBSIDY")));
    }

    @Test
    void shouldStayQuietOnTheHonestPlatforms() {
        Set<String> flaggedHonest = alerts.stream().map(FundFlowAlert::getPlatformId)
                .filter(p -> !ponzi.equals(p)).collect(Collectors.toSet());

        assertTrue(flaggedHonest.isEmpty(), () -> "honest platforms flagged: " + flaggedHonest);
    }
}
