package fundwatch.topology.clearingbypass;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.payment;
import static fundwatch.topology.support.Fixtures.rule;
import static fundwatch.topology.support.InstitutionFixtures.carried;
import static fundwatch.topology.support.InstitutionFixtures.institution;
import static fundwatch.topology.support.InstitutionFixtures.sameBank;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.SourcePartition;
import fundwatch.topology.support.TopologyFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClearingBypassDetectorTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenALicensedPaymentInstitution() {
        fx = new TopologyFixture();
        fx.register(institution("PI-1"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<FundFlowAlert> bypassAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("CLEARING_BYPASS")).toList();
    }

    /** {@code n} small cross-bank payments of PI-1, one a minute, cleared by {@code house}. */
    private void payCrossBank(int n, String house) {
        for (int i = 0; i < n; i++) {
            fx.pay(carried("PAY-" + house + "-" + i, "PI-1", house, "CARD-" + i, "SHOP-1", 1_000,
                    T0.plusSeconds(60L * i)));
        }
    }

    @Test
    void shouldAlertOnTheTenthCrossBankPaymentTheInstitutionClearedItself() {
        // Nine a day is the institution's business; the tenth makes it a clearing operation of its own.
        payCrossBank(9, "DIRECT");
        assertEquals(List.of(), bypassAlerts());

        payCrossBank(10, "DIRECT");

        List<FundFlowAlert> alerts = bypassAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("PI-1", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals("PI-1", a.getPlatformId());
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(10d, a.getMetrics().get("bypassPayments"));
        assertEquals(10d, a.getMetrics().get("otherClearingPayments"));
        assertEquals(10d, a.getThresholds().get("minDailyPayments"));
        assertTrue(a.getSummary().contains("not cleared through a licensed clearing organisation"), a.getSummary());
    }

    @Test
    void shouldAlertOnOneLargePaymentUnderABanksOwnCode() {
        // ¥150,000 across banks under the payer bank's code: over the ¥100,000 daily amount on its own.
        fx.pay(carried("PAY-1", "PI-1", "BANK-2", "CARD-A", "SHOP-1", 150_000, T0));

        assertEquals(15_000_000d, bypassAlerts().get(0).getMetrics().get("bypassAmountMinor"));
    }

    @Test
    void shouldStayQuietForLicensedClearingSameBankPaymentsAndBankTransfers() {
        // Through NUCC and CUP (however the network spells it), within one bank, or a plain bank transfer with no
        // institution: none of these is the institution clearing across banks.
        payCrossBank(12, "NUCC");
        payCrossBank(12, "cup");
        for (int i = 0; i < 12; i++) {
            fx.pay(sameBank("PAY-SB-" + i, "PI-1", "BANK-1", "CARD-" + i, "SHOP-1", 50_000, T0.plusSeconds(i)));
            fx.pay(ClearingPayment.newBuilder(payment("PAY-BT-" + i, "CARD-" + i, PartyType.INDIVIDUAL, "SHOP-1",
                    50_000, T0.plusSeconds(i))).setClearingHouse("DIRECT").build());
        }

        assertEquals(List.of(), bypassAlerts());
    }

    @Test
    void shouldCountAnEmptyClearingHouseAsNotClearedButNotAloneAlert() {
        // One cross-bank payment that names no clearing organisation could be a bad record: quiet …
        payCrossBank(1, "");
        assertEquals(List.of(), bypassAlerts());

        // … ten in a day are the institution's own clearing: the alert comes with the tenth.
        payCrossBank(9, " ");

        FundFlowAlert a = bypassAlerts().get(0);
        assertEquals(10d, a.getMetrics().get("bypassPayments"));
        assertEquals(10d, a.getMetrics().get("unnamedClearingPayments"));
        assertEquals(0, fx.deadLetters().size(), "an empty clearingHouse is valid input, judged, not dead-lettered");
    }

    @Test
    void shouldContinueOneEpisodeOnTheNextDayAndOpenANewOneAfterAQuietDay() {
        // Day 1 and day 2 each over the amount: one ongoing scheme, one alertId, the next day a new revision.
        fx.driver.advanceWallClockTime(java.time.Duration.ofDays(7)); // so later days are not "in the future"
        fx.pay(carried("PAY-D1", "PI-1", "DIRECT", "CARD-A", "SHOP-1", 150_000, T0));
        fx.pay(carried("PAY-D2", "PI-1", "DIRECT", "CARD-A", "SHOP-1", 150_000, T0.plus(java.time.Duration.ofDays(1))));
        // Day 3 quiet, day 4 fires again: a new episode.
        fx.pay(carried("PAY-D4", "PI-1", "DIRECT", "CARD-A", "SHOP-1", 150_000, T0.plus(java.time.Duration.ofDays(3))));

        List<FundFlowAlert> alerts = bypassAlerts();
        assertEquals(3, alerts.size());
        assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
        assertEquals(2, alerts.get(1).getRevision());
        assertEquals(alerts.get(0).getWindowStart(), alerts.get(1).getWindowStart(), "the episode's first day");
        assertTrue(!alerts.get(2).getAlertId().equals(alerts.get(0).getAlertId()), "a new episode after a quiet day");
        assertEquals(1, alerts.get(2).getRevision());
    }

    @Test
    void shouldAcceptAClearingHouseTheRuleAdds() {
        // The regulator lists CNAPS as licensed (an open parameter family): twelve CNAPS payments are then quiet.
        fx.rules.pipeInput("CLEARING_BYPASS", rule("CLEARING_BYPASS", true, "cnaps",
                Map.of("licensedClearingHouse.CNAPS", 1d)), T0);
        payCrossBank(12, "CNAPS");
        assertEquals(List.of(), bypassAlerts());

        // Switching CUP off makes CUP payments count.
        fx.rules.pipeInput("CLEARING_BYPASS", rule("CLEARING_BYPASS", true, "no-cup",
                Map.of("licensedClearingHouse.CUP", 0d)), T0);
        payCrossBank(10, "CUP");
        assertEquals("no-cup", bypassAlerts().get(0).getRuleVersion());
    }

    @Test
    void shouldHoldTheDayWhileAClearingPartitionHasNeverDeliveredAndSayHowManyInAGauge() {
        // Clearing in two partitions, and partition 1 has sent nothing at all (a producer keying everything to
        // partition 0, say): the day cannot be known complete, so no verdict goes out — and the operator sees why.
        try (TopologyFixture two = new TopologyFixture(Map.of(ChannelProgress.CLEARING_CHANNELS_CONFIG, "2"))) {
            two.register(institution("PI-1"));
            for (int i = 0; i < 12; i++) {
                two.pay(carried("PAY-" + i, "PI-1", "DIRECT", "CARD-" + i, "SHOP-1", 1_000, T0.plusSeconds(60L * i)));
            }
            assertEquals(List.of(), two.alerts().stream().filter(a -> a.getDetector().equals("CLEARING_BYPASS"))
                    .toList());
            assertEquals(1d, unseen(two, "CLEARING_BYPASS"));

            // Partition 1 shows itself with a progress mark: the day is released, the twelve payments judged.
            TestInputTopic<String, InstitutionPayment> partitionOne = two.driver.createInputTopic(
                    "fundwatch-test-payment-institution-payments-repartition", new StringSerializer(),
                    BinaryCodec.serde(InstitutionPayment.FORMAT).serializer());
            Instant at = T0.plusSeconds(3_600);
            partitionOne.pipeInput(new TestRecord<>("\u0000progress|0",
                    InstitutionPayment.progressMark(at.toEpochMilli()),
                    SourcePartition.stamped(new RecordHeaders(), 1), at));

            assertEquals(0d, unseen(two, "CLEARING_BYPASS"));
            List<FundFlowAlert> alerts = two.alerts().stream()
                    .filter(a -> a.getDetector().equals("CLEARING_BYPASS")).toList();
            assertEquals(1, alerts.size());
            assertEquals(12d, alerts.get(0).getMetrics().get("bypassPayments"));
        }
    }

    private static double unseen(TopologyFixture f, String detector) {
        return f.metrics.registry().get("fundwatch.clearing.partitions.unseen").tag("detector", detector).gauge()
                .value();
    }
}
