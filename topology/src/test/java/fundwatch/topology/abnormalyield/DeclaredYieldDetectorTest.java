package fundwatch.topology.abnormalyield;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.invest;
import static fundwatch.topology.support.Fixtures.lpr1y;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.product;
import static fundwatch.topology.support.Fixtures.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Product;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeclaredYieldDetectorTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatformAndLprAt300Bps() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-3"));
        // LPR_1Y 3.00 %: the judicial ceiling is 4 × 3.00 % = 12.00 %.
        fx.setRate(lpr1y(300, T0.minus(Duration.ofDays(30))));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<FundFlowAlert> yieldAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("ABNORMAL_YIELD")).toList();
    }

    @Test
    void shouldStayQuietForAProductJustBelowTheCeiling() {
        // 11.90 % < 12.00 %.
        fx.issue(product("PR-1", "P-3", 1190, false));

        assertTrue(yieldAlerts().isEmpty());
    }

    @Test
    void shouldAlertOnAProductJustAboveTheCeiling() {
        // 12.10 % > 12.00 %.
        fx.issue(product("PR-2", "P-3", 1210, false));

        List<FundFlowAlert> alerts = yieldAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(SubjectType.PRODUCT, a.getSubjectType());
        assertEquals("PR-2", a.getSubjectId());
        assertEquals("P-3", a.getPlatformId());
        assertEquals(1210d, a.getMetrics().get("declaredAnnualYieldBps"));
        assertEquals(300d, a.getMetrics().get("lprBps"));
        assertEquals(1200d, a.getThresholds().get("ceilingBps"));
        assertTrue(a.getSummary().contains("12.10"), a.getSummary());
    }

    @Test
    void shouldUseANewLprWithoutRestartSoTheSameYieldIsNoLongerAbnormal() {
        fx.issue(product("PR-2", "P-3", 1210, false));
        assertEquals(1, yieldAlerts().size());

        // The regulator publishes LPR_1Y 3.50 %: the ceiling becomes 14.00 %.
        fx.setRate(lpr1y(350, T0.plus(Duration.ofHours(1))));
        // A new product at the same 12.10 %, registered once the rate is in force, is now within the ceiling…
        fx.issue(Product.newBuilder(product("PR-3", "P-3", 1210, false))
                .setIssuedAt(T0.plus(Duration.ofMinutes(90))).build());
        // …and the first money into the earlier one brings no new revision.
        fx.post(invest("CT-INV-1", "P-3", "PR-2", 10_000, T0.plus(Duration.ofHours(2))));

        assertTrue(yieldAlerts().isEmpty());
    }

    @Test
    void shouldReviseTheAlertWithTheFirstInvestmentOnly() {
        fx.issue(product("PR-4", "P-3", 1500, false));
        fx.post(invest("CT-INV-1", "P-3", "PR-4", 10_000, T0.plus(Duration.ofHours(1))));
        fx.post(invest("CT-INV-2", "P-3", "PR-4", 20_000, T0.plus(Duration.ofHours(2))));

        List<FundFlowAlert> alerts = yieldAlerts();
        assertEquals(List.of(1, 2), alerts.stream().map(FundFlowAlert::getRevision).toList());
        assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
        assertEquals(1_000_000d, alerts.get(1).getMetrics().get("fundedAmountMinor"));
        assertTrue(alerts.get(1).getEvidence().stream().anyMatch(e -> e.getEventId().equals("CT-INV-1")));
    }

    @Test
    void shouldBeCriticalAboveTwentyFourPercentAndHighForAGuaranteeAlone() {
        fx.issue(product("PR-5", "P-3", 2410, false));
        // 8 % but guaranteeing principal and interest: a prohibited promise on its own.
        fx.issue(product("PR-6", "P-3", 800, true));

        List<FundFlowAlert> alerts = yieldAlerts();
        assertEquals(List.of(Severity.CRITICAL, Severity.HIGH), alerts.stream().map(FundFlowAlert::getSeverity).toList());
        assertEquals(1d, alerts.get(1).getMetrics().get("guaranteedReturn"));
    }

    @Test
    void shouldApplyATunedCeilingWithItsRuleVersion() {
        // The regulator tightens the ceiling to 3 × LPR (9 %).
        fx.rules.pipeInput("ABNORMAL_YIELD", rule("ABNORMAL_YIELD", true, "tight-1",
                Map.of("ceilingLprMultiple", 3d)), T0);
        fx.issue(product("PR-7", "P-3", 1000, false));

        FundFlowAlert a = yieldAlerts().get(0);
        assertEquals("tight-1", a.getRuleVersion());
        assertEquals(900d, a.getThresholds().get("ceilingBps"));
        // The summary names the multiple in force, not the default 4.
        assertTrue(a.getSummary().contains("3 倍") && a.getSummary().contains("3 × LPR_1Y"), a.getSummary());
        assertTrue(!a.getSummary().contains("4 倍") && !a.getSummary().contains("4 × LPR_1Y"), a.getSummary());
    }

    @Test
    void shouldJudgeByTheRateInForceAtTheEventNotByOnePublishedForALaterDate() {
        // LPR_1Y 2.50 % is published now, effective in ten days: the ceiling stays 12.00 % until then (a scheduled
        // rate is no absurd future event time: it is not dead-lettered).
        fx.setRate(lpr1y(250, T0.plus(Duration.ofDays(10))));
        assertTrue(fx.deadLetters().isEmpty());
        // 11.00 % now: within today's 12.00 % (though above the coming 10.00 %).
        fx.issue(product("PR-8", "P-3", 1100, false));
        assertTrue(yieldAlerts().isEmpty(), "a rate takes effect on its effectiveFrom, not when it is published");

        // A product registered once the new rate is in force is judged by it: 11.00 % > 10.00 %.
        fx.driver.advanceWallClockTime(Duration.ofDays(10));
        fx.issue(Product.newBuilder(product("PR-9", "P-3", 1100, false))
                .setIssuedAt(T0.plus(Duration.ofDays(10)).plus(Duration.ofHours(1))).build());
        List<FundFlowAlert> alerts = yieldAlerts();
        assertEquals(List.of("PR-9"), alerts.stream().map(FundFlowAlert::getSubjectId).toList());
        assertEquals(250d, alerts.get(0).getMetrics().get("lprBps"));
    }
}
