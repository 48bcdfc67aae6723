package fundwatch.topology.fundpooling;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static fundwatch.topology.support.Fixtures.payoutToIndividual;
import static fundwatch.topology.support.Fixtures.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D1c pass-through hub (FUND_POOLING) and ILLEGAL_FUNDRAISING through the real topology. */
class PassThroughHubTest {
    private TopologyFixture fx;

    @BeforeEach
    void start() {
        fx = new TopologyFixture();
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** {@code n} distinct payers pay {@code yuan} each into {@code account}, a minute apart from minute {@code from}. */
    private void gather(String account, int n, PartyType type, long yuan, int from) {
        for (int i = 0; i < n; i++) {
            fx.pay(payment(account + "-IN-" + i, account + "-PAYER-" + i, type, account, yuan, at(from + i)));
        }
    }

    /** {@code account} pays {@code yuan} to each of {@code n} distinct corporate payees. */
    private void scatter(String account, int n, long yuan, int from) {
        for (int i = 0; i < n; i++) {
            fx.pay(payment(account + "-OUT-" + i, account, PartyType.CORPORATE, account + "-PAYEE-" + i, yuan,
                    at(from + i)));
        }
    }

    private List<FundFlowAlert> alertsOf(String detector) {
        return fx.alerts().stream().filter(a -> a.getDetector().equals(detector)).toList();
    }

    @Test
    void shouldAlertFundPoolingWhenAnUnregisteredAccountGathersFrom30AndScattersTo10() {
        // 30 corporate payers (so the fundraising rule, which counts individuals, stays out of it) pay ¥10,000 each
        gather("HUB-1", 30, PartyType.CORPORATE, 10_000, 0);
        // and ¥240,000 of the ¥300,000 goes straight on to 10 payees: ratio 0.8, inside [0.5, 1.2]
        scatter("HUB-1", 10, 24_000, 60);

        List<FundFlowAlert> alerts = alertsOf("FUND_POOLING");
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("HUB-1", a.getSubjectId());
        assertEquals(SubjectType.ACCOUNT, a.getSubjectType());
        assertEquals(30d, a.getMetrics().get("distinctPayers"));
        assertEquals(10d, a.getMetrics().get("distinctPayees"));
        assertEquals(0.8, a.getMetrics().get("outInRatio"), 1e-9);
        assertEquals(30d, a.getThresholds().get("hubMinDistinctPayers"));
        assertEquals(20, a.getEvidence().size());
        assertEquals(2_400_000L, a.getEvidence().get(0).getAmountMinor());
        assertTrue(alertsOf("ILLEGAL_FUNDRAISING").isEmpty());
    }

    @Test
    void shouldStayQuietForAHubJustBelowTheThresholds() {
        // 29 payers: one short of 30
        gather("HUB-2", 29, PartyType.CORPORATE, 10_000, 0);
        scatter("HUB-2", 10, 23_200, 60);
        // and another account with 30 payers but only 9 payees
        gather("HUB-3", 30, PartyType.CORPORATE, 10_000, 100);
        scatter("HUB-3", 9, 26_000, 160);
        // and a third whose 10 payees take only 40 % of the inflow: it keeps the money, ratio below 0.5
        gather("HUB-4", 30, PartyType.CORPORATE, 10_000, 200);
        scatter("HUB-4", 10, 12_000, 260);

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldStayQuietForABusyMerchantWithManyPayersAndNoScatter() {
        // A shop: 400 individuals buy for ¥3,000 each (¥1,200,000, above the ¥1,000,000 and 150-person thresholds)
        gather("SHOP-1", 400, PartyType.INDIVIDUAL, 3_000, 0);
        // and it pays its two suppliers ¥300,000 each: few payees, no payback to customers
        scatter("SHOP-1", 2, 300_000, 500);

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldExemptCustodyAndReserveAccountsWhichAreMeantToGatherAndScatter() {
        fx.register(p2pPlatform("P-1"), account("CUS-1", "P-1", AccountPurpose.CUSTODY_MASTER),
                account("RES-1", "P-1", AccountPurpose.PAYMENT_RESERVE));
        // Both gather from 30 and scatter to 10 at ratio 0.8: a hub shape, but their job
        gather("CUS-1", 30, PartyType.CORPORATE, 10_000, 0);
        scatter("CUS-1", 10, 24_000, 60);
        gather("RES-1", 30, PartyType.CORPORATE, 10_000, 100);
        scatter("RES-1", 10, 24_000, 160);

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldRaiseIllegalFundraisingWhenAnUnlicensedAccountCollectsFrom150IndividualsAndPaysReturns() {
        // 150 individuals pay ¥2,000 each (¥300,000: only the head-count threshold is reached)
        gather("RAISE-1", 150, PartyType.INDIVIDUAL, 2_000, 0);
        // and 20 of them (13 %) get "returns" paid back
        for (int i = 0; i < 20; i++) {
            fx.pay(payoutToIndividual("RAISE-1-RET-" + i, "RAISE-1", "RAISE-1-PAYER-" + i, 100, at(200 + i)));
        }

        List<FundFlowAlert> alerts = alertsOf("ILLEGAL_FUNDRAISING");
        assertEquals(1, alerts.size(), "one alert: later payback only revises it when it grows materially");
        FundFlowAlert a = alerts.get(0);
        assertEquals(Severity.CRITICAL, a.getSeverity());
        assertEquals("RAISE-1", a.getSubjectId());
        assertEquals(150d, a.getMetrics().get("distinctIndividualPayers"));
        assertTrue(a.getMetrics().get("paybackShare") >= 0.10);
        assertEquals(30_000_000d, a.getMetrics().get("individualAmountMinor"));
    }

    @Test
    void shouldCountPayersByPartyNotByCard() {
        // 30 cards pay in, but they belong to 10 people (three cards each): 10 distinct payers, not 30.
        for (int i = 0; i < 30; i++) {
            fx.pay(fundwatch.avro.ClearingPayment.newBuilder(payment("HUB-5-IN-" + i, "HUB-5-CARD-" + i,
                    PartyType.CORPORATE, "HUB-5", 10_000, at(i))).setPayerPartyId("pty-owner-" + (i % 10)).build());
        }
        scatter("HUB-5", 10, 24_000, 60);

        assertTrue(alertsOf("FUND_POOLING").isEmpty(), "one person with three cards is one payer");
    }

    @Test
    void shouldSeeReturnsPaidToAnotherCardOfTheSamePerson() {
        // 150 people pay ¥2,000 each from their debit cards…
        for (int i = 0; i < 150; i++) {
            fx.pay(fundwatch.avro.ClearingPayment.newBuilder(payment("RAISE-3-IN-" + i, "RAISE-3-DEBIT-" + i,
                    PartyType.INDIVIDUAL, "RAISE-3", 2_000, at(i))).setPayerPartyId("pty-saver-" + i).build());
        }
        // …and 15 of them (10 %) get "returns" on another card of theirs: the same party, another account.
        for (int i = 0; i < 15; i++) {
            fx.pay(fundwatch.avro.ClearingPayment.newBuilder(payoutToIndividual("RAISE-3-RET-" + i, "RAISE-3",
                    "RAISE-3-CREDIT-" + i, 100, at(200 + i))).setPayeePartyId("pty-saver-" + i).build());
        }

        List<FundFlowAlert> alerts = alertsOf("ILLEGAL_FUNDRAISING");
        assertEquals(1, alerts.size(), "payback is to the person, whichever card it lands on");
        assertEquals(0.10, alerts.get(0).getMetrics().get("paybackShare"), 1e-9);
        // Evidence names the real payments, each once.
        List<String> ids = alerts.get(0).getEvidence().stream().map(e -> e.getEventId().toString()).toList();
        assertTrue(ids.stream().allMatch(id -> id.matches("RAISE-3-(IN|RET)-\\d+")), ids::toString);
        assertEquals(ids.size(), ids.stream().distinct().count());
    }

    @Test
    void shouldRaiseIllegalFundraisingWhenTheCollectedMoneyIsPassedOnToManyPayees() {
        // 100 individuals, ¥12,000 each: ¥1,200,000 reaches the amount threshold with fewer than 150 people
        gather("RAISE-2", 100, PartyType.INDIVIDUAL, 12_000, 0);
        // ¥720,000 (60 %) passed on to 12 payees
        scatter("RAISE-2", 12, 60_000, 200);

        List<FundFlowAlert> alerts = alertsOf("ILLEGAL_FUNDRAISING");
        assertEquals(1, alerts.size());
        // It fires on the 10th payee: ¥600,000 = 50 % of the collected amount has gone to 10 payees by then
        assertEquals(0.5, alerts.get(0).getMetrics().get("passOnShare"), 1e-9);
        assertEquals(10d, alerts.get(0).getMetrics().get("distinctPayees"));
    }

    @Test
    void shouldNotTreatAnAccountOfALicensedPlatformAsIllegalFundraising() {
        // The general account of a licensed platform: other detectors (custody bypass) judge it, not this one
        fx.register(p2pPlatform("P-2"), account("GEN-2", "P-2", AccountPurpose.PLATFORM_GENERAL));
        gather("GEN-2", 150, PartyType.INDIVIDUAL, 2_000, 0);
        for (int i = 0; i < 20; i++) {
            fx.pay(payoutToIndividual("GEN-2-RET-" + i, "GEN-2", "GEN-2-PAYER-" + i, 100, at(200 + i)));
        }

        assertTrue(alertsOf("ILLEGAL_FUNDRAISING").isEmpty());
    }

    @Test
    void shouldCountOnlyOneOffPayersWhenTheRuleAsksForTiming() {
        // The evaluate tuning: one-off payers (no repeat within 90 days before, none within 3 days after) count
        fx.rules.pipeInput("FUND_POOLING", rule("FUND_POOLING", true, "timing-1", Map.of(
                "hubMinDistinctPayers", 3d, "hubMinDistinctPayees", 0d, "hubMinOutInRatio", 0d,
                "hubMaxOutInRatio", 1e6, "hubRecurringLookbackDays", 90d, "hubConfirmDays", 3d,
                "hubWindowDays", 30d)), T0);
        // A standing order: the same payer twice a day apart — recurring, never counted
        fx.pay(payment("SO-1", "PAYROLL", PartyType.CORPORATE, "ONEOFF-1", 500, at(0)));
        fx.pay(payment("SO-2", "PAYROLL", PartyType.CORPORATE, "ONEOFF-1", 500, at(24 * 60)));
        // Three different payers once each
        fx.pay(payment("O-1", "A", PartyType.CORPORATE, "ONEOFF-1", 500, at(60)));
        fx.pay(payment("O-2", "B", PartyType.CORPORATE, "ONEOFF-1", 500, at(120)));
        fx.pay(payment("O-3", "C", PartyType.CORPORATE, "ONEOFF-1", 500, at(180)));
        // Not yet: none of them has stayed away 3 days
        assertTrue(fx.alerts().isEmpty());

        // When stream time passes day 3 (an unrelated payment; the wall clock moves along with it)
        fx.driver.advanceWallClockTime(Duration.ofDays(4));
        fx.pay(payment("TICK", "X", PartyType.CORPORATE, "Y", 1, T0.plus(Duration.ofDays(4))));

        // Then the three one-off payers count, the standing order does not
        List<FundFlowAlert> alerts = alertsOf("FUND_POOLING");
        assertEquals(1, alerts.size());
        assertEquals("ONEOFF-1", alerts.get(0).getSubjectId());
        assertEquals(3d, alerts.get(0).getMetrics().get("distinctPayers"));
        assertEquals("timing-1", alerts.get(0).getRuleVersion());
    }
}
