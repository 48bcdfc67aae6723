package fundwatch.topology.growth;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.SubjectType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.Money;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D6 RAPID_GROWTH: a week's spurt against its 28-day baseline, and the month-over-month shrink requirement. */
class RapidGrowthTest {
    /** 10:00 Beijing, 70 days before the fixture's clock: room for 28 days of baseline and a week after it. */
    private static final Instant DAY1 = T0.minus(Duration.ofDays(70));

    private TopologyFixture fx;

    @BeforeEach
    void open() {
        fx = new TopologyFixture();
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant day(int n) {
        return DAY1.plus(Duration.ofDays(n - 1));
    }

    /** A lender tops up its sub-account: inflow. */
    private static CustodyTransaction deposit(String id, String platformId, String lender, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.DEPOSIT, yuan, at))
                .setCreditAccountId("SUB-" + lender).setCreditPartyId(lender).setDebitPartyId(lender).build();
    }

    /** A lender puts money into a borrower's loan: inflow and outstanding balance. */
    private static CustodyTransaction invest(String id, String platformId, String lender, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.INVEST, yuan, at))
                .setDebitAccountId("SUB-" + lender).setDebitRole(AccountRole.LENDER).setDebitPartyId(lender)
                .setCreditAccountId("SUB-BORROWER-1").setCreditRole(AccountRole.BORROWER)
                .setCreditPartyId("pty-borrower-1").setProductId("PR-1").build();
    }

    /** The borrower pays a lender's principal back: the balance shrinks. */
    private static CustodyTransaction principalBack(String id, String platformId, String lender, long yuan,
            Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.REPAY_PRINCIPAL, yuan, at))
                .setDebitAccountId("SUB-BORROWER-1").setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId("pty-borrower-1")
                .setCreditAccountId("SUB-" + lender).setCreditRole(AccountRole.LENDER).setCreditPartyId(lender)
                .setProductId("PR-1").build();
    }

    /** The platform's custody ledger moves on (a ¥0.01 withdrawal), so its earlier days close. */
    private void tick(String platformId, Instant at) {
        fx.post(custody("CT-TICK-" + platformId + "-" + at.toEpochMilli(), platformId, TxType.WITHDRAWAL, 1, at));
    }

    private List<FundFlowAlert> growthAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("RAPID_GROWTH")).toList();
    }

    /** One deposit a day from a rotating set of lenders; from {@code spurtDay} on, the daily amount is multiplied. */
    private void dailyDeposits(String platformId, int days, long yuan, int spurtDay, long spurtYuan) {
        for (int d = 1; d <= days; d++) {
            fx.post(deposit("CT-" + platformId + "-" + d, platformId, "pty-lender-" + (d % 5), d >= spurtDay ? spurtYuan : yuan,
                    day(d)));
        }
    }

    @Test
    void shouldStayQuietWhileAPlatformGrowsSteadily() {
        fx.register(p2pPlatform("P-6"));
        // Given 50 days of deposits growing 2 % a day: from ¥100,000 to about ¥270,000 — growth, but no week is
        // anywhere near 3 × the four weeks before it.
        for (int d = 1; d <= 50; d++) {
            fx.post(deposit("CT-" + d, "P-6", "pty-lender-" + (d % 5), Math.round(100_000 * Math.pow(1.02, d)), day(d)));
        }
        tick("P-6", day(52));

        assertTrue(growthAlerts().isEmpty());
    }

    @Test
    void shouldAlertOnAWeekThreeTimesTheBaseline() {
        fx.register(p2pPlatform("P-6"));
        // Given five weeks at ¥100,000 a day (a weekly average of ¥700,000), then a week at ¥400,000 a day:
        // ¥2,800,000 = 4 × the average and above ¥1,000,000.
        dailyDeposits("P-6", 42, 100_000, 36, 400_000);
        tick("P-6", day(44));

        List<FundFlowAlert> alerts = growthAlerts();
        assertTrue(!alerts.isEmpty());
        FundFlowAlert a = alerts.get(alerts.size() - 1);
        assertEquals("P-6", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals(4.0, a.getMetrics().get("inflowRatio"), 1e-9);
        assertEquals(Money.yuan(2_800_000), a.getMetrics().get("weekInflowMinor"), 1e-9);
        // A spurt that keeps firing day after day is one alert with revisions, not one alert a day.
        assertEquals(1, alerts.stream().map(FundFlowAlert::getAlertId).distinct().count());
    }

    @Test
    void shouldJudgeASpurtOnceTwentyEightDaysHaveBeenObservedNotThirtyFive() {
        fx.register(p2pPlatform("P-6"));
        // 28 days at ¥100,000 a day, then six times that from day 29.
        dailyDeposits("P-6", 31, 100_000, 29, 600_000);
        // Day 31 closes: its week (days 25–31) took ¥2,200,000, 3.14 × the weekly average of the 24 observed days
        // before it — crossed on the spurt's third day (DETECTION.md D6: 28 days of history, not 28 + 7).
        tick("P-6", day(32));

        List<FundFlowAlert> alerts = growthAlerts();
        assertEquals(1, alerts.size(), alerts::toString);
        assertEquals(22.0 / 7.0, alerts.get(0).getMetrics().get("inflowRatio"), 1e-9);
        assertEquals(Money.yuan(700_000), alerts.get(0).getMetrics().get("baselineWeeklyInflowMinor"), 1e-6);
    }

    @Test
    void shouldStayQuietOnAThreeFoldWeekBelowTheMinimumVolume() {
        fx.register(p2pPlatform("P-6"));
        // Given the same shape at a tenth of the size: ¥280,000 in the spurt week is 4 × the baseline but under
        // ¥1,000,000, and five lenders are far from 100 new ones.
        dailyDeposits("P-6", 42, 10_000, 36, 40_000);
        tick("P-6", day(44));

        assertTrue(growthAlerts().isEmpty());
    }

    @Test
    void shouldNotJudgeAPlatformWithLessThanTwentyEightDaysOfHistory() {
        fx.register(p2pPlatform("P-6"));
        // Given only 14 days observed before a ¥400,000-a-day week: no baseline, no verdict.
        dailyDeposits("P-6", 21, 100_000, 15, 400_000);
        tick("P-6", day(23));

        assertTrue(growthAlerts().isEmpty());
    }

    private void rectifyingPlatform() {
        fx.register(fundwatch.avro.Platform.newBuilder(p2pPlatform("P-R")).setStatus(PlatformStatus.RECTIFYING).build());
    }

    /** 10:00 Beijing on the given day of 2026. */
    private static Instant on(int month, int dayOfMonth) {
        return Instant.parse(String.format("2026-%02d-%02dT02:00:00Z", month, dayOfMonth));
    }

    @Test
    void shouldAlertWhenARectifyingPlatformGrowsMonthOverMonth() {
        rectifyingPlatform();
        // September closes at ¥100,000 outstanding with one lender…
        fx.post(invest("CT-1", "P-R", "pty-lender-1", 100_000, on(9, 20)));
        // …October lends ¥50,000 more to a second lender: both the balance and the lender count rise.
        fx.post(invest("CT-2", "P-R", "pty-lender-2", 50_000, on(10, 10)));
        tick("P-R", on(11, 2));

        List<FundFlowAlert> alerts = growthAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("P-R", a.getSubjectId());
        assertEquals(Money.yuan(150_000), a.getMetrics().get("outstandingMinor"), 1e-9);
        assertEquals(Money.yuan(100_000), a.getMetrics().get("previousOutstandingMinor"), 1e-9);
        assertEquals(2.0, a.getMetrics().get("positiveLenders"), 1e-9);
        // The window is October (Beijing), from 1 October 00:00 +08:00.
        assertEquals(Instant.parse("2026-09-30T16:00:00Z"), a.getWindowStart());
    }

    @Test
    void shouldStayQuietWhenARectifyingPlatformShrinks() {
        rectifyingPlatform();
        // September closes at ¥150,000 with two lenders…
        fx.post(invest("CT-1", "P-R", "pty-lender-1", 100_000, on(9, 20)));
        fx.post(invest("CT-2", "P-R", "pty-lender-2", 50_000, on(9, 21)));
        // …October repays the second lender in full and lends ¥20,000 to the first: ¥120,000, one lender.
        fx.post(principalBack("CT-3", "P-R", "pty-lender-2", 50_000, on(10, 10)));
        fx.post(invest("CT-4", "P-R", "pty-lender-1", 20_000, on(10, 11)));
        tick("P-R", on(11, 2));

        assertTrue(growthAlerts().isEmpty());
    }

    @Test
    void shouldNotApplyTheShrinkRuleToAnActivePlatform() {
        fx.register(p2pPlatform("P-A"));
        // The same month-over-month growth as the rectifying platform above, on an ACTIVE platform.
        fx.post(invest("CT-1", "P-A", "pty-lender-1", 100_000, on(9, 20)));
        fx.post(invest("CT-2", "P-A", "pty-lender-2", 50_000, on(10, 10)));
        tick("P-A", on(11, 2));

        assertTrue(growthAlerts().isEmpty());
    }
}
