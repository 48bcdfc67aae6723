package fundwatch.topology.borrowingcap;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.invest;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payoutToIndividual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.Money;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D7 BORROWING_CAP: outstanding loans of one borrower party, per platform and across platforms. */
class BorrowingCapTest {
    private static final Instant AT = T0.minus(Duration.ofHours(6));
    private static final String BORROWER = "pty-b1";

    private TopologyFixture fx;

    @BeforeEach
    void open() {
        fx = new TopologyFixture();
        for (String p : List.of("P-1", "P-2", "P-3", "P-4")) {
            fx.register(p2pPlatform(p));
        }
    }

    @AfterEach
    void close() {
        fx.close();
    }

    /** Lenders fund the borrower's loan on a platform: INVEST credited to its BORROWER sub-account. */
    private static CustodyTransaction loan(String id, String platformId, long minor, Instant at) {
        return CustodyTransaction.newBuilder(invest(id, platformId, "PR-" + platformId, 1, at))
                .setAmountMinor(minor).setCreditPartyId(BORROWER).build();
    }

    /** The loan paid out to the borrower's own bank account: the clearing network names the party's type. */
    private static ClearingPayment disbursement(String id, PartyType type, Instant at) {
        return ClearingPayment.newBuilder(payoutToIndividual(id, "CM-1", "card-b1", 1_000, at))
                .setPayeePartyId(BORROWER).setPayeePartyType(type).build();
    }

    private List<FundFlowAlert> capAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("BORROWING_CAP")).toList();
    }

    @Test
    void shouldStayQuietForAnIndividualExactlyAtThePlatformCap() {
        // ¥200,000 on one platform is the cap itself, not above it.
        fx.post(loan("CT-1", "P-1", Money.yuan(200_000), AT));
        fx.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(600)));

        assertTrue(capAlerts().isEmpty());
    }

    @Test
    void shouldAlertForAnIndividualOneYuanAboveThePlatformCap() {
        // ¥200,001 on one platform, and the disbursement shows the borrower is a person.
        fx.post(loan("CT-1", "P-1", Money.yuan(200_001), AT));
        fx.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(600)));

        List<FundFlowAlert> alerts = capAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals(BORROWER, a.getSubjectId());
        assertEquals(SubjectType.PARTY, a.getSubjectType());
        assertEquals("P-1", a.getPlatformId());
        assertEquals(Money.yuan(200_001), a.getMetrics().get("outstandingMinor"), 1e-9);
        assertEquals(Money.yuan(200_000), a.getThresholds().get("capMinor"), 1e-9);
        assertEquals("CT-1", a.getEvidence().get(0).getEventId());
    }

    @Test
    void shouldStayQuietForACompanyWithinTheCorporateCap() {
        // A company borrows ¥800,000: far above the individual cap, within the corporate ¥1,000,000.
        fx.post(loan("CT-1", "P-1", Money.yuan(800_000), AT));
        fx.pay(disbursement("CP-1", PartyType.CORPORATE, AT.plusSeconds(600)));

        assertTrue(capAlerts().isEmpty());
    }

    @Test
    void shouldStayQuietOnceTheBorrowerRepaidBelowTheCap() {
        // ¥250,000 lent, ¥50,000 principal repaid before the type is known: ¥200,000 left, at the cap.
        fx.post(loan("CT-1", "P-1", Money.yuan(250_000), AT));
        fx.post(CustodyTransaction.newBuilder(loan("CT-2", "P-1", Money.yuan(50_000), AT.plusSeconds(60)))
                .setType(fundwatch.avro.TxType.REPAY_PRINCIPAL)
                .setDebitAccountId("SUB-BORROWER-PR-P-1").setDebitRole(fundwatch.avro.AccountRole.BORROWER)
                .setDebitPartyId(BORROWER)
                .setCreditAccountId("SUB-LENDER-1").setCreditRole(fundwatch.avro.AccountRole.LENDER)
                .setCreditPartyId("pty-lender-1").build());
        fx.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(600)));

        assertTrue(capAlerts().isEmpty());
    }

    @Test
    void shouldAlertTheCrossPlatformCapForAnIndividualBorrowingOnFourPlatforms() {
        // ¥300,000 on each of four platforms: each platform breaches ¥200,000 and the total ¥1,200,000 breaches
        // the ¥1,000,000 across platforms — which no single platform can see.
        int n = 0;
        for (String p : List.of("P-1", "P-2", "P-3", "P-4")) {
            fx.post(loan("CT-" + p, p, Money.yuan(300_000), AT.plusSeconds(60L * n++)));
        }
        fx.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(600)));

        List<FundFlowAlert> alerts = capAlerts();
        FundFlowAlert cross = alerts.stream().filter(a -> a.getPlatformId() == null).findFirst().orElseThrow();
        assertEquals(BORROWER, cross.getSubjectId());
        assertNull(cross.getRegionCode());
        assertEquals(Money.yuan(1_200_000), cross.getMetrics().get("outstandingMinor"), 1e-9);
        assertEquals(4.0, cross.getMetrics().get("platforms"), 1e-9);
        assertEquals(Money.yuan(1_000_000), cross.getThresholds().get("capMinor"), 1e-9);
        assertEquals(4, cross.getEvidence().size());
        assertEquals(List.of("P-1", "P-2", "P-3", "P-4"), alerts.stream().map(FundFlowAlert::getPlatformId)
                .filter(p -> p != null).sorted().toList());
        assertEquals(5, alerts.stream().map(FundFlowAlert::getAlertId).distinct().count());
    }

    @Test
    void shouldAlertTheCrossPlatformCapForAnUnknownPartyOnlyAboveTheCorporateCap() {
        // Type never seen: ¥300,000 on each of four platforms is within the corporate caps, so nothing yet.
        int n = 0;
        for (String p : List.of("P-1", "P-2", "P-3", "P-4")) {
            fx.post(loan("CT-" + p, p, Money.yuan(300_000), AT.plusSeconds(60L * n++)));
        }

        assertTrue(capAlerts().isEmpty());
    }
    @Test
    void shouldJudgeAPartyWhoseTypeNeverArrivesByTheIndividualCapsOnceTheHoldHasPassed() {
        // ¥300,000 on one platform, and no clearing payment ever names the party's type: above the individual
        // cap, within the corporate one. The verdict is held while the type may still come with the disbursement…
        fx.driver.advanceWallClockTime(Duration.ofDays(13));
        fx.post(loan("CT-1", "P-1", Money.yuan(300_000), AT));
        // The loan is disbursed (custody), but the clearing payment names no type.
        fx.post(CustodyTransaction.newBuilder(loan("CT-D", "P-1", Money.yuan(300_000), AT.plusSeconds(3_600)))
                .setType(fundwatch.avro.TxType.LOAN_DISBURSEMENT)
                .setDebitAccountId("SUB-BORROWER-PR-P-1").setDebitRole(fundwatch.avro.AccountRole.BORROWER)
                .setDebitPartyId(BORROWER).setCreditAccountId("card-b1")
                .setCreditRole(fundwatch.avro.AccountRole.EXTERNAL).setCreditPartyId(BORROWER).build());
        fx.post(CustodyTransaction.newBuilder(loan("CT-X", "P-2", 1, AT.plus(Duration.ofDays(9))))
                .setCreditPartyId("pty-other").build());
        assertTrue(capAlerts().isEmpty(), "held while the type may still arrive");

        // …but not for ever: once the clearing side (which would name the type) is ten days past the disbursement,
        // the party is judged by the individual caps (the stricter law applies to a borrower nobody has shown to be
        // a company).
        fx.post(CustodyTransaction.newBuilder(loan("CT-Y", "P-2", 1, AT.plus(Duration.ofDays(10)).plusSeconds(3_600)))
                .setCreditPartyId("pty-other").build());
        fx.pay(ClearingPayment.newBuilder(disbursement("CP-OTHER", PartyType.INDIVIDUAL,
                AT.plus(Duration.ofDays(10)).plusSeconds(7_200))).setPayeePartyId("pty-other").build());
        List<FundFlowAlert> alerts = capAlerts();
        assertEquals(1, alerts.size(), alerts::toString);
        assertEquals(BORROWER, alerts.get(0).getSubjectId());
        assertEquals("P-1", alerts.get(0).getPlatformId());
        assertEquals(Money.yuan(200_000), alerts.get(0).getThresholds().get("capMinor"), 1e-9);
        assertEquals(0d, alerts.get(0).getMetrics().get("partyTypeKnown"));
    }

    @Test
    void shouldWaitForTheClearingSideNotTheCustodySideBeforeEndingTheHold() {
        // A backlog: the custody input is read twelve days ahead of the clearing payments that name types. A company's
        // ¥300,000 loan is disbursed; later custody movements (of others) pass the ten-day hold…
        fx.driver.advanceWallClockTime(Duration.ofDays(15));
        fx.post(loan("CT-1", "P-1", Money.yuan(300_000), AT));
        fx.post(CustodyTransaction.newBuilder(loan("CT-D", "P-1", Money.yuan(300_000), AT.plusSeconds(3_600)))
                .setType(fundwatch.avro.TxType.LOAN_DISBURSEMENT)
                .setDebitAccountId("SUB-BORROWER-PR-P-1").setDebitRole(fundwatch.avro.AccountRole.BORROWER)
                .setDebitPartyId(BORROWER).setCreditAccountId("card-b1")
                .setCreditRole(fundwatch.avro.AccountRole.EXTERNAL).setCreditPartyId(BORROWER).build());
        fx.post(CustodyTransaction.newBuilder(loan("CT-X", "P-2", 1, AT.plus(Duration.ofDays(12))))
                .setCreditPartyId("pty-other").build());
        fx.post(CustodyTransaction.newBuilder(loan("CT-Y", "P-2", 1, AT.plus(Duration.ofDays(12)).plusSeconds(60)))
                .setCreditPartyId("pty-other").build());
        // …and only then does the clearing side deliver the disbursement that names it a company: no alert, as live.
        fx.pay(disbursement("CP-1", PartyType.CORPORATE, AT.plusSeconds(3_700)));
        fx.pay(ClearingPayment.newBuilder(disbursement("CP-OTHER", PartyType.INDIVIDUAL,
                AT.plus(Duration.ofDays(12)))).setPayeePartyId("pty-other").build());
        assertTrue(capAlerts().isEmpty(), capAlerts()::toString);
    }

    @Test
    void shouldStayQuietForACompanyWhoseTypeArrivesWithinTheHold() {
        // A company's ¥750,000 loan raised slowly, ¥250,000 every five days (it passes ¥200,000 at once), its type
        // named by the disbursement four days after the raise ends — fourteen days after the first breach. (A raise
        // that never ends is never judged by the individual caps: no disbursement, no hold to run out.)
        fx.driver.advanceWallClockTime(Duration.ofDays(17));
        fx.post(loan("CT-1", "P-1", Money.yuan(250_000), AT));
        fx.post(loan("CT-2", "P-1", Money.yuan(250_000), AT.plus(Duration.ofDays(5))));
        fx.post(loan("CT-3", "P-1", Money.yuan(250_000), AT.plus(Duration.ofDays(10))));
        fx.pay(disbursement("CP-1", PartyType.CORPORATE, AT.plus(Duration.ofDays(14))));
        fx.post(CustodyTransaction.newBuilder(loan("CT-Y", "P-2", 1, AT.plus(Duration.ofDays(16))))
                .setCreditPartyId("pty-other").build());

        assertTrue(capAlerts().isEmpty(), "the hold runs from the disbursement, not from the breach");
    }

    @Test
    void shouldApplyTheIndividualCapWhenThePersonWasSeenOnlyBeforeItsFirstLoan() {
        // The party paid as an individual once, before it ever borrowed; its loan's disbursement is not seen
        fx.pay(disbursement("CP-0", PartyType.INDIVIDUAL, AT.minus(Duration.ofDays(3))));
        fx.post(loan("CT-1", "P-1", Money.yuan(200_001), AT));

        List<FundFlowAlert> alerts = capAlerts();
        assertEquals(1, alerts.size());
        assertEquals(Money.yuan(200_000), alerts.get(0).getThresholds().get("capMinor"), 1e-9);
    }

    @Test
    void shouldKeepTheIndividualTypeWhenTheSamePartyLaterAppearsAsACompany() {
        fx.pay(disbursement("CP-0", PartyType.INDIVIDUAL, AT.minus(Duration.ofDays(3))));
        fx.pay(disbursement("CP-1", PartyType.CORPORATE, AT.minus(Duration.ofDays(2))));
        fx.post(loan("CT-1", "P-1", Money.yuan(200_001), AT));

        assertEquals(1, capAlerts().size());
    }

    @Test
    void shouldStartTheBreachAtTheLoanThatCrossedTheCapWhenTheTypeArrivesLater() {
        // Read live: the type arrives with the first disbursement, between the two loans on P-1
        List<String> live = breachIds(true);
        // Read from a backlog: the custody ledger first, the clearing side (the type) long after
        List<String> backlog = breachIds(false);

        assertEquals(live, backlog, "the same alertIds whichever input was read first");
        assertEquals(1, live.size());
    }

    private List<String> breachIds(boolean typeFirst) {
        try (TopologyFixture f = new TopologyFixture()) {
            f.register(p2pPlatform("P-1"));
            f.post(loan("CT-1", "P-1", Money.yuan(150_000), AT));
            if (typeFirst) {
                f.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(60)));
            }
            // This loan takes the individual's balance on P-1 over ¥200,000; the next one is borrowing on
            f.post(loan("CT-2", "P-1", Money.yuan(100_000), AT.plusSeconds(3_600)));
            f.post(loan("CT-3", "P-1", Money.yuan(10_000), AT.plusSeconds(7_200)));
            if (!typeFirst) {
                f.pay(disbursement("CP-1", PartyType.INDIVIDUAL, AT.plusSeconds(60)));
            }
            return f.alerts().stream().filter(a -> a.getDetector().equals("BORROWING_CAP"))
                    .map(a -> a.getAlertId() + "@" + a.getWindowStart()).distinct().toList();
        }
    }
}
