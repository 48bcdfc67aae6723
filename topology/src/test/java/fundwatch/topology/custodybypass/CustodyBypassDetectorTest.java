package fundwatch.topology.custodybypass;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static fundwatch.topology.support.Fixtures.payoutToIndividual;
import static fundwatch.topology.support.Fixtures.platformOfKind;
import static fundwatch.topology.support.Fixtures.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustodyBypassDetectorTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenAP2pPlatformWithCustodyAndGeneralAccounts() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-17"),
                account("GEN-17", "P-17", AccountPurpose.PLATFORM_GENERAL),
                account("REL-17", "P-17", AccountPurpose.RELATED_PARTY),
                account("CUS-17", "P-17", AccountPurpose.CUSTODY_MASTER));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void shouldCountABypassPaymentWhileTheCustodyLedgerIsReadDaysAheadOfTheClearingFeed() {
        // A backlog: the custody ledger (another input of the platform's task) has been read two days ahead
        fx.driver.advanceWallClockTime(java.time.Duration.ofDays(3));
        fx.post(fundwatch.topology.support.Fixtures.custody("CT-AHEAD", "P-17", fundwatch.avro.TxType.PLATFORM_FEE,
                1, T0.plus(java.time.Duration.ofDays(2))));
        // When the clearing feed brings a bypass payment of day 0
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0));

        // Then it is judged as it would be live: the clearing feed has not passed its day yet
        List<FundFlowAlert> alerts = fx.alerts().stream().filter(a -> a.getDetector().equals("CUSTODY_BYPASS"))
                .toList();
        assertEquals(1, alerts.size());
        assertEquals("PAY-1", alerts.get(0).getEvidence().get(0).getEventId());
    }

    @Test
    void shouldAlertWhenAnIndividualPaysIntoThePlatformsGeneralAccount() {
        // An investor's money lands in the platform's own general account, not with the custodian: D3a.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("CUSTODY_BYPASS", a.getDetector());
        assertEquals("P-17", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals("P-17", a.getPlatformId());
        assertEquals("110000", a.getRegionCode());
        assertEquals(1, a.getRevision());
        assertEquals(Severity.MEDIUM, a.getSeverity());
        assertEquals(5_000_000d, a.getMetrics().get("bypassAmountMinor"));
        assertEquals(100_000_000d, a.getThresholds().get("criticalDailyAmountMinor"));
        assertEquals("PAY-1", a.getEvidence().get(0).getEventId());
        assertEquals("pty-CARD-A", a.getEvidence().get(0).getCounterpartyId());
        assertEquals("default", a.getRuleVersion());
        assertTrue(a.getSummary().contains("bypassing custody"), a.getSummary());
        // The window is the Beijing calendar day of the payment.
        assertEquals(java.time.Instant.parse("2026-11-27T16:00:00Z"), a.getWindowStart());
        assertEquals(java.time.Instant.parse("2026-11-28T16:00:00Z"), a.getWindowEnd());
        // Emission is counted, and its latency from the payment's event time recorded, per detector.
        assertEquals(1d, fx.metrics.count("fundwatch.alerts.emitted", "detector", "CUSTODY_BYPASS", "severity",
                "MEDIUM"));
        assertEquals(1, fx.metrics.registry().find("fundwatch.alert.latency").tag("detector", "CUSTODY_BYPASS")
                .timer().count());
    }

    @Test
    void shouldRaiseSeverityToCriticalOnceTheDayReachesOneMillionYuanUnderTheSameAlertId() {
        // Three payments on one day: the same finding grows; it is one alert with new revisions.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 200_000, T0));
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "GEN-17", 300_000, T0.plusSeconds(60)));
        fx.pay(payment("PAY-3", "CARD-C", PartyType.CORPORATE, "REL-17", 500_000, T0.plusSeconds(120)));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(3, alerts.size());
        assertEquals(1, alerts.stream().map(FundFlowAlert::getAlertId).distinct().count());
        assertEquals(List.of(1, 2, 3), alerts.stream().map(FundFlowAlert::getRevision).toList());
        assertEquals(List.of(Severity.HIGH, Severity.HIGH, Severity.CRITICAL),
                alerts.stream().map(FundFlowAlert::getSeverity).toList());
        FundFlowAlert last = alerts.get(2);
        // Evidence is largest first.
        assertEquals(List.of("PAY-3", "PAY-2", "PAY-1"), last.getEvidence().stream().map(e -> e.getEventId()).toList());
        assertEquals(3d, last.getMetrics().get("bypassPayments"));
    }

    @Test
    void shouldNotReannounceAFindingThatGrewImmaterially() {
        // ¥1,000,000 then ¥1: the second payment is evidence, but not worth a new revision (< 25 % growth).
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 1_000_000, T0));
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "GEN-17", 1, T0.plusSeconds(60)));

        assertEquals(1, fx.alerts().size());
    }

    @Test
    void shouldContinueTheSameAlertOnTheNextBeijingDay() {
        // The next day's window is judged on its own, but the bypass goes on: same episode, next revision
        // (DETECTION.md "Episodes, not days"; this test used to expect a new alertId per day).
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 10_000, T0));
        fx.pay(payment("PAY-2", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 10_000, T0.plus(Duration.ofDays(1))));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(2, alerts.size());
        assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
        assertEquals(List.of(1, 2), alerts.stream().map(FundFlowAlert::getRevision).toList());
        // The alert covers the episode: from the first day's start to the second day's end.
        assertEquals(java.time.Instant.parse("2026-11-27T16:00:00Z"), alerts.get(1).getWindowStart());
        assertEquals(java.time.Instant.parse("2026-11-29T16:00:00Z"), alerts.get(1).getWindowEnd());
    }

    @Test
    void shouldAlertOnPayoutsFromTheGeneralAccountToIndividuals() {
        // Returns paid to investors from the platform's own account, outside custody.
        fx.pay(payoutToIndividual("PAY-OUT-1", "GEN-17", "CARD-Z", 80_000, T0));

        FundFlowAlert a = fx.alerts().get(0);
        assertEquals(8_000_000d, a.getMetrics().get("outflowAmountMinor"));
    }

    @Test
    void shouldStayQuietWhenMoneyGoesThroughCustody() {
        // The honest path: an investor tops up the custody account.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-17", 50_000, T0));
        // The platform moves its own fee income from custody to its general account: same platform, not bypass.
        fx.pay(payment("PAY-2", "CUS-17", PartyType.CORPORATE, "GEN-17", 5_000, T0));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldStayQuietForPlatformsThatAreNotLendingOrCrowdfunding() {
        // An insurance platform's general account legitimately receives premiums from individuals.
        fx.register(platformOfKind("INS-1", PlatformKind.INTERNET_INSURANCE),
                account("GEN-INS", "INS-1", AccountPurpose.PLATFORM_GENERAL));
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-INS", 50_000, T0));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldStayQuietForPaymentsBetweenUnregisteredAccounts() {
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "SHOP-9", 500, T0));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldIgnoreARedeliveredPayment() {
        // The clearing network redelivers PAY-1: one payment, one alert revision.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0));
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0));

        assertEquals(1, fx.alerts().size());
        assertEquals(1d, fx.metrics.count("fundwatch.duplicates", "topic", "clearing.payments"));
    }

    @Test
    void shouldStopAlertingWhenARuleDisablesTheDetectorAndResumeWhenReEnabled() {
        fx.rules.pipeInput("CUSTODY_BYPASS", rule("CUSTODY_BYPASS", false, "r-2", Map.of()), T0);
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0));
        assertTrue(fx.alerts().isEmpty());

        fx.rules.pipeInput("CUSTODY_BYPASS", rule("CUSTODY_BYPASS", true, "r-3",
                Map.of("highDailyAmountMinor", 1_000_000d)), T0);
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "GEN-17", 50_000, T0.plusSeconds(60)));

        FundFlowAlert a = fx.alerts().get(0);
        assertEquals("r-3", a.getRuleVersion());
        // The tuned threshold (¥10,000) makes ¥100,000 HIGH; both payments count, the disabled span included.
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(10_000_000d, a.getMetrics().get("bypassAmountMinor"));
        assertNotNull(a.getAlertId());
    }
}
