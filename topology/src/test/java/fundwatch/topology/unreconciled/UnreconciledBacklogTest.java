package fundwatch.topology.unreconciled;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static fundwatch.topology.support.Fixtures.payoutToIndividual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.Money;
import fundwatch.topology.support.SourcePartition;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
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

/**
 * D3b decides on event time and per-input progress only, so that a backlog read after a restart gives the verdicts a
 * live feed gives. The clearing input here has two upstream partitions, as the runtime tells the processor: the
 * driver's own clearing topic is partition 0, and "partition 1" is played by legs and progress marks written straight
 * onto the repartition topic with that partition's stamp — one input read hours ahead of the other, as in a backlog.
 */
class UnreconciledBacklogTest {
    private static final String LEGS_TOPIC = "fundwatch-test-clearing-platform-legs-repartition";
    private TopologyFixture fx;
    private TestInputTopic<String, PlatformLeg> partitionOne;

    @BeforeEach
    void givenAPlatformAndAClearingInputOfTwoPartitions() {
        fx = new TopologyFixture(Map.of(ReconciliationProcessor.CLEARING_CHANNELS_CONFIG, "2"));
        fx.register(p2pPlatform("P-9"), account("CUS-9", "P-9", AccountPurpose.CUSTODY_MASTER),
                account("GEN-9", "P-9", AccountPurpose.PLATFORM_GENERAL));
        partitionOne = fx.driver.createInputTopic(LEGS_TOPIC, new StringSerializer(),
                JsonSerde.of(PlatformLeg.class).serializer());
        // The wall clock well ahead, so that no event time here is "absurdly far in the future" (dead-lettered).
        fx.driver.advanceWallClockTime(Duration.ofDays(10));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    /** A payout from P-9's custody master to a person's card, read from clearing partition 1. */
    private void payoutOnPartitionOne(String id, long yuan, Instant at) {
        PlatformLeg leg = new PlatformLeg("P-9", "110000", "P2P_LENDING", "CUS-9", AccountPurpose.CUSTODY_MASTER,
                PlatformLeg.Direction.OUT, id, Money.yuan(yuan), at.toEpochMilli(), "CARD-" + id, "pty-" + id,
                PartyType.INDIVIDUAL, false);
        partitionOne.pipeInput(new TestRecord<>("P-9", leg, stamp(), at));
    }

    /** Clearing partition 1 has been read up to {@code at}, with nothing for this task's platforms. */
    private void markOnPartitionOne(Instant at) {
        partitionOne.pipeInput(new TestRecord<>("\u0000progress|0", PlatformLeg.progressMark(at.toEpochMilli()),
                stamp(), at));
    }

    private static RecordHeaders stamp() {
        return (RecordHeaders) SourcePartition.stamped(new RecordHeaders(), 1);
    }

    private List<FundFlowAlert> alerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("UNRECONCILED_FLOW")).toList();
    }

    @Test
    void shouldNotDeclareAWithdrawalUnpaidWhileAClearingPartitionLagsHoursBehind() {
        // Given a withdrawal, and clearing partition 0 and the custody ledger a day on (a backlog read unevenly)
        fx.post(custody("CT-W1", "P-9", TxType.WITHDRAWAL, 30_000, T0));
        markOnPartitionOne(T0.minus(Duration.ofHours(5)));
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofDays(1))));
        fx.post(custody("FEE-1", "P-9", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofDays(1))));
        assertTrue(alerts().isEmpty(), "partition 1 is five hours behind the withdrawal: no verdict yet");

        // When partition 1 catches up and brings the payout, then moves on
        payoutOnPartitionOne("PAY-OUT-1", 30_000, T0.plus(Duration.ofMinutes(20)));
        markOnPartitionOne(T0.plus(Duration.ofDays(1)));

        // Then the withdrawal was paid out after all
        assertTrue(alerts().isEmpty(), () -> "alerts: " + alerts());
    }

    @Test
    void shouldDeclareATrulyUnpaidWithdrawalOnceEveryClearingPartitionHasPassedIt() {
        fx.post(custody("CT-W1", "P-9", TxType.WITHDRAWAL, 30_000, T0));
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofDays(1))));
        fx.post(custody("FEE-1", "P-9", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofDays(1))));
        // Partition 1 has not shown itself at all: it might hold the payout
        assertTrue(alerts().isEmpty());
        markOnPartitionOne(T0.plus(Duration.ofHours(2)));
        assertTrue(alerts().isEmpty(), "partition 1 is within the match window and grace of the withdrawal");

        // When partition 1 passes the deadline (2 h window + 1 h grace) without the payout
        markOnPartitionOne(T0.plus(Duration.ofHours(4)));

        List<FundFlowAlert> alerts = alerts();
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        assertEquals("CT-W1", alerts.get(0).getEvidence().get(0).getEventId());
        assertEquals(1d, alerts.get(0).getMetrics().get("withdrawalWithoutClearingCount"));
    }

    @Test
    void shouldNotDecideOnTheWallClock() {
        // Given a top-up without its deposit yet, both clearing partitions past it, and the ledger not
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        markOnPartitionOne(T0.plus(Duration.ofHours(5)));
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofHours(5))));
        fx.post(custody("FEE-1", "P-9", TxType.PLATFORM_FEE, 1, T0.minus(Duration.ofHours(1))));

        // When an hour of wall clock passes with nothing read (a supervisor restarting fundwatch, a slow custodian)
        fx.driver.advanceWallClockTime(Duration.ofHours(1));
        assertTrue(alerts().isEmpty(), "a silent ledger is not a complete one");

        // Then the deposit that comes is matched, and nothing is unreconciled
        fx.post(custody("CT-1", "P-9", TxType.DEPOSIT, 10_000, T0.plus(Duration.ofMinutes(3))));
        fx.post(custody("FEE-2", "P-9", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofHours(5))));
        assertTrue(alerts().isEmpty(), () -> "alerts: " + alerts());
    }

    @Test
    void shouldGiveTheSameAlertsWhicheverInputIsReadFirst() {
        // One platform, three days: a top-up without deposit on day 0, a withdrawal without payout on day 2, and
        // honest pairs around them. Read once as a live feed (interleaved), once ledger-first, once clearing-first.
        List<String> live = run(Order.INTERLEAVED);
        assertEquals(2, live.size(), () -> "two unreconciled days: " + live);
        assertEquals(live, run(Order.CUSTODY_FIRST));
        assertEquals(live, run(Order.CLEARING_FIRST));
    }

    private enum Order { INTERLEAVED, CUSTODY_FIRST, CLEARING_FIRST }

    /** @return each alert revision as alertId/revision/evidence ids */
    private List<String> run(Order order) {
        try (TopologyFixture f = new TopologyFixture(Map.of(ReconciliationProcessor.CLEARING_CHANNELS_CONFIG, "1"))) {
            f.register(p2pPlatform("P-9"), account("CUS-9", "P-9", AccountPurpose.CUSTODY_MASTER),
                    account("GEN-9", "P-9", AccountPurpose.PLATFORM_GENERAL));
            f.driver.advanceWallClockTime(Duration.ofDays(10));
            List<Runnable> custody = new java.util.ArrayList<>();
            List<Runnable> clearing = new java.util.ArrayList<>();
            for (int hour = 0; hour < 72; hour += 2) {
                int h = hour;
                Instant at = T0.plus(Duration.ofHours(h));
                String n = Integer.toString(h);
                clearing.add(() -> f.pay(payment("PAY-" + n, "CARD-" + n, PartyType.INDIVIDUAL, "CUS-9",
                        1_000 + h, at)));
                if (h != 6) { // the top-up of hour 6 is never booked
                    custody.add(() -> f.post(fundwatch.avro.CustodyTransaction.newBuilder(
                            custody("CT-" + n, "P-9", TxType.DEPOSIT, 1_000 + h, at.plusSeconds(90)))
                            .setCreditPartyId("pty-CARD-" + n).build()));
                }
                custody.add(() -> f.post(custody("CT-W" + n, "P-9", TxType.WITHDRAWAL, 500 + h, at.plusSeconds(600))));
                if (h != 50) { // the withdrawal of hour 50 is never paid out
                    clearing.add(() -> f.pay(payoutToIndividual("OUT-" + n, "CUS-9", "CARD-" + n, 500 + h,
                            at.plusSeconds(900))));
                }
            }
            Instant end = T0.plus(Duration.ofDays(4));
            custody.add(() -> f.post(custody("FEE-END", "P-9", TxType.PLATFORM_FEE, 1, end)));
            clearing.add(() -> f.pay(payment("SWEEP-END", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, end)));
            switch (order) {
                case CUSTODY_FIRST -> {
                    custody.forEach(Runnable::run);
                    clearing.forEach(Runnable::run);
                }
                case CLEARING_FIRST -> {
                    clearing.forEach(Runnable::run);
                    custody.forEach(Runnable::run);
                }
                case INTERLEAVED -> {
                    for (int i = 0; i < Math.max(custody.size(), clearing.size()); i++) {
                        if (i < clearing.size()) {
                            clearing.get(i).run();
                        }
                        if (i < custody.size()) {
                            custody.get(i).run();
                        }
                    }
                }
            }
            return f.alerts().stream().filter(a -> a.getDetector().equals("UNRECONCILED_FLOW"))
                    .map(a -> a.getAlertId() + "/" + a.getRevision() + "/"
                            + a.getEvidence().stream().map(e -> e.getEventId()).sorted().toList())
                    .toList();
        }
    }
}
