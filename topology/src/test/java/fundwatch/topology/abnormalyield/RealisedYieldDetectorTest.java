package fundwatch.topology.abnormalyield;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.invest;
import static fundwatch.topology.support.Fixtures.lpr1y;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D4b ABNORMAL_YIELD (realised): interest actually paid, annualised over monitored principal and holding days. */
class RealisedYieldDetectorTest {
    /** Money goes in 40 days before the fixture's clock; the interest comes 30 days later. */
    private static final Instant IN = T0.minus(Duration.ofDays(40));
    private static final Instant PAID = IN.plus(Duration.ofDays(30));

    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatformAndLprAt300Bps() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-4"));
        // LPR_1Y 3.00 %: the ceiling is 12.00 %.
        fx.setRate(lpr1y(300, T0.minus(Duration.ofDays(400))));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static CustodyTransaction investBy(String id, String lender, String productId, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(invest(id, "P-4", productId, yuan, at)).setDebitAccountId(lender).build();
    }

    private static CustodyTransaction repay(String id, TxType type, String lender, String productId, long fen,
            Instant at) {
        return CustodyTransaction.newBuilder(custody(id, "P-4", type, 1, at))
                .setDebitAccountId("SUB-BORROWER-" + productId).setDebitRole(AccountRole.BORROWER)
                .setCreditAccountId(lender).setCreditRole(AccountRole.LENDER)
                .setProductId(productId).setAmountMinor(fen).build();
    }

    /** Interest in fen on {@code yuan} for {@code days} at {@code bps} a year, rounded down as platforms do. */
    private static long interestFen(long yuan, int bps, long days) {
        return yuan * 100 * bps * days / (10_000L * 365);
    }

    /** A movement two days later on another platform moves stream time past the day's end + grace. */
    private void closeDaysBefore(Instant t) {
        fx.post(custody("CT-TICK-" + t.toEpochMilli(), "P-TICK", TxType.DEPOSIT, 1, t));
    }

    private List<FundFlowAlert> realisedAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("ABNORMAL_YIELD")
                && a.getMetrics().containsKey("realisedAnnualYieldBps")).toList();
    }

    @Test
    void shouldStayQuietForInterestJustBelowTheCeiling() {
        fx.post(investBy("CT-1", "SUB-L-1", "PR-1", 100_000, IN));
        // 30 days' interest at 11.90 % a year on ¥100,000: below 12.00 %.
        fx.post(repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interestFen(100_000, 1190, 30), PAID));
        closeDaysBefore(PAID.plus(Duration.ofDays(2)));

        assertTrue(realisedAlerts().isEmpty());
    }

    @Test
    void shouldAlertOnInterestJustAboveTheCeiling() {
        fx.post(investBy("CT-1", "SUB-L-1", "PR-1", 100_000, IN));
        // 30 days at 12.10 % a year: above 12.00 %.
        fx.post(repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interestFen(100_000, 1210, 30), PAID));
        closeDaysBefore(PAID.plus(Duration.ofDays(2)));

        List<FundFlowAlert> alerts = realisedAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(SubjectType.PRODUCT, a.getSubjectType());
        assertEquals("PR-1", a.getSubjectId());
        assertEquals("P-4", a.getPlatformId());
        assertEquals(1210d, a.getMetrics().get("realisedAnnualYieldBps"), 0.5);
        assertEquals(1200d, a.getThresholds().get("ceilingBps"));
        assertEquals("CT-2", a.getEvidence().get(0).getEventId());
    }

    @Test
    void shouldIgnoreInterestOnPrincipalInvestedBeforeMonitoringBegan() {
        // Interest at 30 % a year to a lender whose INVEST fundwatch never saw: no monitored principal, no yield.
        fx.post(repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-9", "PR-1", interestFen(100_000, 3000, 30), PAID));
        // A lender fundwatch did see, paid within the ceiling, keeps the product's realised yield at 10 %.
        fx.post(investBy("CT-3", "SUB-L-1", "PR-1", 100_000, IN));
        fx.post(repay("CT-4", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interestFen(100_000, 1000, 30), PAID));
        closeDaysBefore(PAID.plus(Duration.ofDays(2)));

        assertTrue(realisedAlerts().isEmpty());
    }

    @Test
    void shouldStayQuietForAnHonestMonthlyInterestProductWhoseMoneyPartlyWentInBeforeMonitoring() {
        // An open-ended product paying 10 % a year, monthly. Lender L-9's ¥100,000 went in before monitoring began.
        // Lender L-1 had ¥90,000 in before monitoring too, and adds ¥10,000 five days after it began.
        fx.post(investBy("CT-1", "SUB-L-1", "PR-1", 10_000, IN.plus(Duration.ofDays(5))));
        // The month's interest on what each holds, 10 % a year: ¥821.91 to L-1 on ¥100,000 — which on the
        // ¥10,000 fundwatch saw for 25 days would "annualise" to 120 %.
        fx.post(repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interestFen(100_000, 1000, 30), PAID));
        fx.post(repay("CT-3", TxType.REPAY_INTEREST, "SUB-L-9", "PR-1", interestFen(100_000, 1000, 30),
                PAID.plusSeconds(1)));
        // Next month, the same.
        fx.driver.advanceWallClockTime(Duration.ofDays(40));
        Instant next = PAID.plus(Duration.ofDays(30));
        fx.post(repay("CT-4", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interestFen(100_000, 1000, 30), next));
        fx.post(repay("CT-5", TxType.REPAY_INTEREST, "SUB-L-9", "PR-1", interestFen(100_000, 1000, 30),
                next.plusSeconds(1)));
        closeDaysBefore(next.plus(Duration.ofDays(2)));

        // Interest to L-9, whose money fundwatch never saw go in, shows the product had money before monitoring:
        // its interest cannot be split between seen and unseen principal, so it has no realised yield.
        assertTrue(realisedAlerts().isEmpty(), () -> realisedAlerts().toString());
    }

    @Test
    void shouldWeighPrincipalByTheDaysItWasHeld() {
        fx.post(investBy("CT-1", "SUB-L-1", "PR-1", 100_000, IN));
        // Half the principal comes back after 15 days: ¥100,000 × 15 d + ¥50,000 × 15 d were held.
        fx.post(repay("CT-2", TxType.REPAY_PRINCIPAL, "SUB-L-1", "PR-1", 5_000_000, IN.plus(Duration.ofDays(15))));
        // ¥770.54 of interest: 12.5 % a year on what was held (though only 9.4 % on ¥100,000 for 30 days).
        long interest = interestFen(100_000, 1250, 15) + interestFen(50_000, 1250, 15);
        // A second lender enters 20 days later and earns 12.5 % on their own 10 days.
        fx.post(investBy("CT-4", "SUB-L-2", "PR-1", 200_000, IN.plus(Duration.ofDays(20))));
        fx.post(repay("CT-3", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", interest, PAID));
        fx.post(repay("CT-5", TxType.REPAY_INTEREST, "SUB-L-2", "PR-1", interestFen(200_000, 1250, 10), PAID));
        closeDaysBefore(PAID.plus(Duration.ofDays(2)));

        FundFlowAlert a = realisedAlerts().get(0);
        assertEquals(1250d, a.getMetrics().get("realisedAnnualYieldBps"), 1.0);
        assertEquals(30_000_000d, a.getMetrics().get("monitoredPrincipalMinor"));
        assertEquals(25_000_000d, a.getMetrics().get("outstandingPrincipalMinor"));
    }

    @Test
    void shouldGiveTheSameVerdictWhenAnInvestmentArrivesAfterTheInterestItEarnedWithinGrace() {
        // 23:50 Beijing time.
        Instant lateInvest = Instant.parse("2026-10-19T15:50:00Z");
        List<FundFlowAlert> inOrder = lateInvestScenario(false, lateInvest);
        fx.close();
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-4"));
        fx.setRate(lpr1y(300, T0.minus(Duration.ofDays(400))));
        List<FundFlowAlert> reordered = lateInvestScenario(true, lateInvest);

        assertEquals(1, inOrder.size());
        assertEquals(inOrder.get(0).getAlertId(), reordered.get(0).getAlertId());
        assertEquals(inOrder.get(0).getMetrics(), reordered.get(0).getMetrics());
    }

    private List<FundFlowAlert> lateInvestScenario(boolean investArrivesLast, Instant investAt) {
        // ¥100,000 in at 23:50, ¥100 of "interest" at 00:20: an absurd yield either way.
        CustodyTransaction in = investBy("CT-1", "SUB-L-1", "PR-1", 100_000, investAt);
        CustodyTransaction interest = repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-1", "PR-1", 10_000,
                investAt.plus(Duration.ofMinutes(30)));
        // Another platform's movement at 00:40: the INVEST is 50 minutes behind stream time, but its Beijing day
        // only closes an hour after midnight (grace), so it still counts — before the interest it earned.
        CustodyTransaction other = custody("CT-OTHER", "P-OTHER", TxType.DEPOSIT, 1,
                investAt.plus(Duration.ofMinutes(50)));
        if (investArrivesLast) {
            fx.post(interest);
            fx.post(other);
            fx.post(in);
        } else {
            fx.post(in);
            fx.post(interest);
            fx.post(other);
        }
        closeDaysBefore(investAt.plus(Duration.ofDays(3)));
        return realisedAlerts();
    }

    @Test
    void shouldKeepItsAlertApartFromTheDeclaredYieldAlertOfTheSameProduct() {
        // Declared 15 % (D4a alerts at registration) and paid at 15 % (D4b alerts on the payment).
        fx.issue(product("PR-5", "P-4", 1500, false));
        fx.post(investBy("CT-1", "SUB-L-1", "PR-5", 100_000, T0.plus(Duration.ofHours(1))));
        fx.driver.advanceWallClockTime(Duration.ofDays(40));
        Instant paid = T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(1));
        fx.post(repay("CT-2", TxType.REPAY_INTEREST, "SUB-L-1", "PR-5", interestFen(100_000, 1500, 30), paid));
        closeDaysBefore(paid.plus(Duration.ofDays(2)));

        List<FundFlowAlert> yield = fx.alerts().stream().filter(a -> a.getDetector().equals("ABNORMAL_YIELD")).toList();
        assertEquals(2, yield.stream().map(FundFlowAlert::getAlertId).distinct().count(), yield::toString);
        FundFlowAlert realised = yield.stream().filter(a -> a.getMetrics().containsKey("realisedAnnualYieldBps"))
                .findFirst().orElseThrow();
        assertEquals(1500d, realised.getMetrics().get("declaredAnnualYieldBps"));
        assertEquals(Duration.ofDays(365).minusMillis(1),
                Duration.between(realised.getWindowStart(), realised.getWindowEnd()));
    }
}
