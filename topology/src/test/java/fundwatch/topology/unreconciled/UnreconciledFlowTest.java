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
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnreconciledFlowTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatformWithACustodyMasterAccount() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-9"), account("CUS-9", "P-9", AccountPurpose.CUSTODY_MASTER),
                account("GEN-9", "P-9", AccountPurpose.PLATFORM_GENERAL));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    /**
     * Moves both inputs past every open match window with traffic that matches nothing: a fee on the custody
     * ledger, and the platform sweeping fees from custody to its general account on the clearing feed.
     */
    private void advanceStreamTime(Instant to) {
        fx.post(custody("TICK-" + to.toEpochMilli(), "P-9", TxType.PLATFORM_FEE, 1, to));
        fx.pay(payment("SWEEP-" + to.toEpochMilli(), "CUS-9", PartyType.CORPORATE, "GEN-9", 1, to));
    }

    @Test
    void shouldStayQuietWhenEveryTopUpHasItsCustodyDepositInEitherOrder() {
        // Clearing first, custody 10 minutes later.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        fx.post(custody("CT-1", "P-9", TxType.DEPOSIT, 10_000, T0.plus(Duration.ofMinutes(10))));
        // Custody first, clearing 90 minutes later, one fen apart: still within ±¥0.01 and 2 hours.
        fx.post(custody("CT-2", "P-9", TxType.DEPOSIT, 20_000, T0.plus(Duration.ofMinutes(20))));
        ClearingPayment offByOneFen = ClearingPayment.newBuilder(
                payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "CUS-9", 20_000, T0.plus(Duration.ofMinutes(110))))
                .setAmountMinor(2_000_001).build();
        fx.pay(offByOneFen);

        advanceStreamTime(T0.plus(Duration.ofHours(6)));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldAlertWhenAClearingTopUpHasNoCustodyDepositWithinTwoHours() {
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        // A deposit of the same amount arrives, but 2 h 30 min later: outside the match window.
        fx.post(custody("CT-1", "P-9", TxType.DEPOSIT, 10_000, T0.plus(Duration.ofMinutes(150))));
        // Nothing is decided before the window and grace (2 h + 1 h) have passed in event time.
        assertTrue(fx.alerts().isEmpty());

        advanceStreamTime(T0.plus(Duration.ofHours(4)));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("UNRECONCILED_FLOW", a.getDetector());
        assertEquals("P-9", a.getSubjectId());
        assertEquals("110000", a.getRegionCode());
        assertEquals(1d, a.getMetrics().get("clearingWithoutDepositCount"));
        assertEquals(1_000_000d, a.getMetrics().get("unreconciledAmountMinor"));
        assertEquals("PAY-1", a.getEvidence().get(0).getEventId());
        assertEquals(120d, a.getThresholds().get("matchWindowMinutes"));
    }

    @Test
    void shouldAlertWhenACustodyWithdrawalHasNoClearingPaymentOut() {
        fx.post(custody("CT-W1", "P-9", TxType.WITHDRAWAL, 30_000, T0));
        // A payout of another amount does not match it.
        fx.pay(payoutToIndividual("PAY-OUT-1", "CUS-9", "CARD-A", 29_000, T0.plus(Duration.ofMinutes(5))));

        advanceStreamTime(T0.plus(Duration.ofHours(4)));

        FundFlowAlert a = fx.alerts().get(0);
        assertEquals(1d, a.getMetrics().get("withdrawalWithoutClearingCount"));
        assertEquals("CT-W1", a.getEvidence().get(0).getEventId());
        assertEquals("custody.transactions", a.getEvidence().get(0).getTopic());
    }

    @Test
    void shouldStayQuietWhenAWithdrawalIsPaidOut() {
        fx.post(custody("CT-W1", "P-9", TxType.WITHDRAWAL, 30_000, T0));
        fx.pay(payoutToIndividual("PAY-OUT-1", "CUS-9", "CARD-A", 30_000, T0.plus(Duration.ofMinutes(30))));

        advanceStreamTime(T0.plus(Duration.ofHours(4)));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldNotDeclareATopUpUnmatchedWhileTheCustodyLedgerLagsBehind() {
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        // The clearing feed runs four hours ahead (a backlog on the custody side): no verdict on PAY-1 yet …
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofHours(4))));
        assertTrue(fx.alerts().isEmpty());
        // … and when the ledger catches up, the deposit is there after all.
        fx.post(custody("CT-1", "P-9", TxType.DEPOSIT, 10_000, T0.plus(Duration.ofMinutes(5))));
        advanceStreamTime(T0.plus(Duration.ofHours(8)));

        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldWaitForALaggingLedgerThatIsStillDeliveringHoweverFarBehindItIs() {
        // A replay of weeks of backlog: the clearing feed is three days ahead of the custody ledger, which is still
        // delivering (its old records keep arriving) — far beyond the one-day bound for a quiet input.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofDays(3))));
        fx.post(custody("FEE-1", "P-9", TxType.PLATFORM_FEE, 1, T0.minus(Duration.ofDays(1))));
        assertTrue(fx.alerts().isEmpty());

        // When the ledger reaches PAY-1's time, the deposit is there: no verdict was passed on it before
        fx.post(custody("CT-1", "P-9", TxType.DEPOSIT, 10_000, T0.plus(Duration.ofMinutes(5))));
        advanceStreamTime(T0.plus(Duration.ofDays(3).plusHours(4)));

        assertTrue(fx.alerts().isEmpty(), () -> "alerts: " + fx.alerts());
    }

    @Test
    void shouldLeaveAnotherPersonsDepositForThePaymentStillOnItsWay() {
        // The ledger runs ahead: A's ¥20,000 deposit is in; B's payment of the same round sum arrives an hour later
        fx.post(deposit("CT-A", 20_000, T0, "pty-CARD-A"));
        fx.pay(payment("PAY-B", "CARD-B", PartyType.INDIVIDUAL, "CUS-9", 20_000, T0.plus(Duration.ofMinutes(60))));
        // … then B's own deposit, over two hours after A's, and finally A's payment from a slower partition
        fx.post(deposit("CT-B", 20_000, T0.plus(Duration.ofMinutes(130)), "pty-CARD-B"));
        fx.pay(payment("PAY-A", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 20_000, T0.minus(Duration.ofMinutes(5))));

        advanceStreamTime(T0.plus(Duration.ofHours(6)));

        // Had PAY-B taken A's deposit (the nearest one when it came), PAY-A would have found none within two hours
        assertTrue(fx.alerts().isEmpty(), () -> "alerts: " + fx.alerts());
    }

    private static fundwatch.avro.CustodyTransaction deposit(String id, long yuan, Instant at, String party) {
        return fundwatch.avro.CustodyTransaction.newBuilder(custody(id, "P-9", TxType.DEPOSIT, yuan, at))
                .setDebitPartyId(party).setCreditPartyId(party).build();
    }

    @Test
    void shouldNotLetAQuietLedgerHoldTheVerdictBackForever() {
        // P-9's ledger delivered once, then nothing; another platform's custodian, on the same custody partition,
        // goes on for two days, and so does the clearing feed
        fx.register(p2pPlatform("P-8"), account("CUS-8", "P-8", AccountPurpose.CUSTODY_MASTER));
        fx.driver.advanceWallClockTime(Duration.ofDays(3)); // none of these days is "absurdly far in the future"
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        fx.post(custody("FEE-1", "P-9", TxType.PLATFORM_FEE, 1, T0));
        fx.post(custody("FEE-8a", "P-8", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofDays(1))));
        fx.pay(payment("SWEEP-1", "CUS-9", PartyType.CORPORATE, "GEN-9", 1, T0.plus(Duration.ofDays(2))));
        // One day on, P-9's ledger might be a custodian's batch still to come: no verdict
        assertTrue(fx.alerts().isEmpty());

        // When the partition is 36 h past PAY-1's deadline, P-9's quiet ledger is complete there: PAY-1 is unmatched
        fx.post(custody("FEE-8b", "P-8", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofHours(40))));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        assertEquals("PAY-1", alerts.get(0).getEvidence().get(0).getEventId());
    }

    @Test
    void shouldMatchEachDepositOnlyOnce() {
        // Two equal top-ups, one custody deposit (B's): one of them is unreconciled.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 5_000, T0));
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "CUS-9", 5_000, T0.plusSeconds(30)));
        fx.post(deposit("CT-1", 5_000, T0.plusSeconds(60), "pty-CARD-B"));

        advanceStreamTime(T0.plus(Duration.ofHours(4)));

        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(1, alerts.size());
        assertEquals(1d, alerts.get(0).getMetrics().get("clearingWithoutDepositCount"));
        // The deposit is B's: PAY-2 is the one matched, A's payment is the one without a deposit.
        assertEquals("PAY-1", alerts.get(0).getEvidence().get(0).getEventId());
    }
    @Test
    void shouldStillReachAVerdictOnStateWhoseExpiryIndexAnEarlierBuildWrote() {
        // Given a top-up waiting for its deposit, indexed by whose progress decides it (custody's)
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-9", 10_000, T0));
        KeyValueStore<String, String> expiry = fx.driver.getKeyValueStore("unreconciled-expiry-store");
        List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiry.all()) {
            it.forEachRemaining(entries::add);
        }
        KeyValue<String, String> entry = entries.stream().filter(kv -> kv.value.contains(
                ReconciliationProcessor.SEP + "I" + ReconciliationProcessor.SEP)).findFirst()
                .orElseThrow();
        assertTrue(entry.key.startsWith(ReconciliationProcessor.DECIDED_BY_CUSTODY), entry.key);

        // When the entry is rewritten in the single-index layout of earlier builds (no prefix), as after an upgrade
        expiry.delete(entry.key);
        expiry.put(entry.key.substring(ReconciliationProcessor.DECIDED_BY_CUSTODY.length()), entry.value);
        advanceStreamTime(T0.plus(Duration.ofHours(4)));

        // Then the verdict still comes, once
        List<FundFlowAlert> alerts = fx.alerts();
        assertEquals(1, alerts.size());
        assertEquals("PAY-1", alerts.get(0).getEvidence().get(0).getEventId());
    }
}
