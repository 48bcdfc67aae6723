package fundwatch.topology.payouts;

import static fundwatch.topology.payouts.PayoutFixtures.deposit;
import static fundwatch.topology.payouts.PayoutFixtures.repay;
import static fundwatch.topology.payouts.PayoutFixtures.repayToPlatform;
import static fundwatch.topology.payouts.PayoutFixtures.tick;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
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

/** D5b NEW_MONEY_PAYS_OLD: lenders paid more than borrowers repaid, the gap filled by new deposits. */
class NewMoneyPaysOldTest {
    /** 10:00 Beijing, ten days before the fixture's clock. */
    private static final Instant DAY1 = T0.minus(Duration.ofDays(10));

    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatform() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-5"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant at(int day, int hour) {
        return DAY1.plus(Duration.ofDays(day - 1)).plus(Duration.ofHours(hour));
    }

    private List<FundFlowAlert> newMoneyAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("NEW_MONEY_PAYS_OLD")).toList();
    }

    @Test
    void shouldStayQuietWhenBorrowersFundEveryPayout() {
        // Lenders get ¥50,000 of interest and ¥950,000 of principal straight from the borrower's sub-account…
        fx.post(repay("CT-1", "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 50_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.BORROWER, 950_000, at(1, 1)));
        // …and new lenders bring ¥2,000,000: plenty of new money, but nobody old was paid with it.
        fx.post(deposit("CT-3", "P-5", 2_000_000, at(1, 2)));
        fx.post(tick("P-5", at(3, 0)));

        assertTrue(newMoneyAlerts().isEmpty());
    }

    @Test
    void shouldAlertWhenFreshDepositsPayTheLenders() {
        // Borrowers repay ¥200,000; the platform's own account pays lenders another ¥1,000,000 (interest + principal).
        fx.post(repay("CT-1", "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 200_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 300_000, at(1, 1)));
        fx.post(repay("CT-3", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.PLATFORM_OWN, 700_000, at(1, 2)));
        // New lenders deposit ¥3,000,000 the same day: they cover the ¥1,000,000 gap.
        fx.post(deposit("CT-4", "P-5", 3_000_000, at(1, 3)));
        fx.post(tick("P-5", at(3, 0)));

        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals("P-5", a.getSubjectId());
        // 1,000,000 of 1,200,000 paid was funded by no borrower.
        assertEquals(1_000_000 / 1_200_000d, a.getMetrics().get("gapShare"), 1e-9);
        assertEquals(120_000_000d, a.getMetrics().get("paidToLendersMinor"));
        assertEquals(20_000_000d, a.getMetrics().get("repaidByBorrowersMinor"));
        assertEquals(100_000_000d, a.getMetrics().get("gapMinor"));
        assertEquals(300_000_000d, a.getMetrics().get("newDepositsMinor"));
        assertEquals(Severity.CRITICAL, a.getSeverity());
        // Evidence: the payouts no borrower funded, largest first.
        assertEquals(List.of("CT-3", "CT-2"), a.getEvidence().stream().map(e -> e.getEventId()).toList());
    }

    @Test
    void shouldStayQuietForAGapOfFivePercentAndAlertMediumJustAbove() {
        // Borrowers repay ¥10,000,000; the platform's own account adds ¥500,000: paid is exactly repaid + 5 %.
        fx.post(repay("CT-1", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.BORROWER, 10_000_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 500_000, at(1, 1)));
        fx.post(deposit("CT-3", "P-5", 5_000_000, at(1, 2)));
        fx.post(tick("P-5", at(3, 0)));
        assertTrue(newMoneyAlerts().isEmpty());

        // Two days later another ¥200,000 from its own account: ¥700,000 over ¥10,000,000 in the 30 days, 7 %.
        fx.post(repay("CT-4", "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 200_000, at(3, 1)));
        fx.post(tick("P-5", at(5, 0)));

        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.size());
        assertEquals(Severity.MEDIUM, alerts.get(0).getSeverity());
        assertEquals(700_000 / 10_700_000d, alerts.get(0).getMetrics().get("gapShare"), 1e-9);
    }

    @Test
    void shouldAlertOnASmallPlatformsGapWithoutAnAmountFloorTheSpecDoesNotHave() {
        // Borrowers repay ¥500,000, the platform's own account adds ¥40,000 (8 % over, a ¥40,000 gap), and new
        // deposits of ¥100,000 cover it: DETECTION.md D5b has no minimum gap amount.
        fx.post(repay("CT-1", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.BORROWER, 500_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 40_000, at(1, 1)));
        fx.post(deposit("CT-3", "P-5", 100_000, at(1, 2)));
        fx.post(tick("P-5", at(3, 0)));

        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.size());
        assertEquals(40_000 / 540_000d, alerts.get(0).getMetrics().get("gapShare"), 1e-9);
    }

    @Test
    void shouldStayQuietWhenTheRiskReserveOrAGuarantorPaysAfterADefault() {
        // A borrower defaults: the platform's risk reserve (funded from its fees) pays the lenders ¥600,000 and a
        // guarantee company another ¥400,000, while honest new lenders keep depositing ¥3,000,000. The gap is the
        // reserve's and the guarantor's money, not new lenders' (DETECTION.md D5b: "while new deposits cover the gap").
        fx.post(repay("CT-1", "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 200_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.RISK_RESERVE, 600_000, at(1, 1)));
        fx.post(repay("CT-3", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.GUARANTOR, 400_000, at(1, 2)));
        fx.post(deposit("CT-4", "P-5", 3_000_000, at(1, 3)));
        fx.post(tick("P-5", at(3, 0)));

        assertTrue(newMoneyAlerts().isEmpty());
    }

    @Test
    void shouldCountReservePayoutsAsNewMoneyWhenLendersMoneyFilledTheReserve() {
        // The same payouts, but the reserve was filled with ¥600,000 moved out of lenders' sub-accounts in the
        // window: routing new money through the reserve does not hide it.
        fx.post(repay("CT-1", "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 200_000, at(1, 0)));
        fx.post(deposit("CT-4", "P-5", 3_000_000, at(1, 0)));
        fx.post(CustodyTransaction.newBuilder(repay("CT-5", "P-5", TxType.TRANSFER, AccountRole.LENDER, 600_000,
                at(1, 1))).setCreditAccountId("P-5-RR").setCreditRole(AccountRole.RISK_RESERVE).build());
        fx.post(repay("CT-2", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.RISK_RESERVE, 600_000, at(1, 2)));
        fx.post(tick("P-5", at(3, 0)));

        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.size());
        assertEquals(600_000 / 800_000d, alerts.get(0).getMetrics().get("gapShare"), 1e-9);
        assertEquals(0d, alerts.get(0).getMetrics().get("coveredByReserveMinor"));
    }

    @Test
    void shouldStayQuietWhenNoNewMoneyCoversTheGap() {
        // The platform pays ¥800,000 from its own account, but only ¥100,000 of deposits came in: it spends its own
        // money (perhaps a guarantee), not new lenders'.
        fx.post(repay("CT-1", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.PLATFORM_OWN, 800_000, at(1, 0)));
        fx.post(deposit("CT-2", "P-5", 100_000, at(1, 1)));
        fx.post(tick("P-5", at(3, 0)));

        assertTrue(newMoneyAlerts().isEmpty());
    }

    @Test
    void shouldCountALateBorrowerRepaymentWithinGraceBeforeJudgingTheDay() {
        // 23:40 Beijing: the platform pays a lender ¥500,000 from its own account…
        Instant lateEvening = Instant.parse("2026-11-10T15:40:00Z");
        fx.post(repay("CT-1", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.PLATFORM_OWN, 500_000, lateEvening));
        fx.post(deposit("CT-2", "P-5", 1_000_000, lateEvening.plus(Duration.ofMinutes(5))));
        // …stream time passes midnight (00:30)…
        fx.post(tick("P-5", lateEvening.plus(Duration.ofMinutes(50))));
        // …and the borrower's ¥500,000 repayment into that own account, booked at 23:30, arrives: within the
        // hour of grace after the day's end, so the day is judged with it — no gap.
        fx.post(repayToPlatform("CT-3", "P-5", 500_000, lateEvening.minus(Duration.ofMinutes(10))));
        fx.post(tick("P-5", lateEvening.plus(Duration.ofDays(2))));

        assertTrue(newMoneyAlerts().isEmpty());
    }

    @Test
    void shouldKeepOneAlertWhileTheSchemeGoesOnAndReviseItAsTheGapGrows() {
        for (int day = 1; day <= 4; day++) {
            // Every day ¥400,000 from the own account to old lenders, ¥1,000,000 of new deposits.
            fx.post(repay("CT-P" + day, "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 400_000, at(day, 0)));
            fx.post(deposit("CT-D" + day, "P-5", 1_000_000, at(day, 1)));
        }
        fx.post(tick("P-5", at(6, 0)));

        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.stream().map(FundFlowAlert::getAlertId).distinct().count());
        // Gap 400k, 800k (+100 %), 1.2M (+50 %), 1.6M (+33 %): each growth ≥ 25 % is a revision.
        assertEquals(List.of(1, 2, 3, 4), alerts.stream().map(FundFlowAlert::getRevision).toList());
        assertEquals(160_000_000d, alerts.get(3).getMetrics().get("gapMinor"));
    }

    @Test
    void shouldJudgeADayThatItsCustodianDeliversInOneBatchTheNextMorning() {
        // Another platform's custodian delivers in real time: its ledger (and stream time) reaches day 2, 09:00
        fx.post(tick("P-TICK", at(2, 9)));
        // Only then does P-5's custodian deliver its day 1 — the same Ponzi day as above, in one batch
        fx.post(repay("CT-1", "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 200_000, at(1, 0)));
        fx.post(repay("CT-2", "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 300_000, at(1, 1)));
        fx.post(repay("CT-3", "P-5", TxType.REPAY_PRINCIPAL, AccountRole.PLATFORM_OWN, 700_000, at(1, 2)));
        fx.post(deposit("CT-4", "P-5", 3_000_000, at(1, 3)));
        // and the next morning's batch starts with day 2: P-5's own ledger has passed day 1
        fx.post(tick("P-5", at(2, 2)));

        // Then day 1 is judged on all of its movements: none was dropped as late because stream time had moved on
        List<FundFlowAlert> alerts = newMoneyAlerts();
        assertEquals(1, alerts.size());
        assertEquals(100_000_000d, alerts.get(0).getMetrics().get("gapMinor"));
        assertEquals(0d, fx.metrics.count("fundwatch.late.events", "detector", "NEW_MONEY_PAYS_OLD"));
    }
}
