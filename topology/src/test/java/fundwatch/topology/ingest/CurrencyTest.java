package fundwatch.topology.ingest;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Severity;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DETECTION.md's limits are CNY ("compare in minor units"), and the contract carries no exchange rate: detectors
 * judge CNY movements only. A valid record in another currency is counted (fundwatch.foreign.currency, per topic
 * and currency), never summed with yuan, never matched against a yuan twin.
 */
class CurrencyTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatformWithGeneralAndCustodyAccounts() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"), account("GEN-1", "P-1", AccountPurpose.PLATFORM_GENERAL),
                account("CUS-1", "P-1", AccountPurpose.CUSTODY_MASTER));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static ClearingPayment usd(ClearingPayment p) {
        return ClearingPayment.newBuilder(p).setCurrency("USD").build();
    }

    @Test
    void shouldNotSumAnotherCurrencyWithYuan() {
        // ¥600,000 from an individual straight into the general account: HIGH (below ¥1,000,000 a day)…
        fx.pay(payment("PAY-CNY", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 600_000, T0));
        // …and 600,000.00 US dollars: not yuan, so not added to the ¥600,000 (that would make "¥1,200,000").
        fx.pay(usd(payment("PAY-USD", "CARD-B", PartyType.INDIVIDUAL, "GEN-1", 600_000, T0.plusSeconds(60))));

        List<FundFlowAlert> bypass = fx.alerts().stream().filter(a -> a.getDetector().equals("CUSTODY_BYPASS"))
                .toList();
        FundFlowAlert last = bypass.get(bypass.size() - 1);
        assertEquals(Severity.HIGH, last.getSeverity());
        assertTrue(last.getEvidence().stream().noneMatch(e -> e.getEventId().equals("PAY-USD")));
        assertEquals(1d, fx.metrics.count("fundwatch.foreign.currency", "topic", "clearing.payments",
                "currency", "USD"));
        assertTrue(fx.deadLetters().isEmpty(), "a valid record in another currency is no dead letter");
    }

    @Test
    void shouldNotReconcileAYuanTopUpWithADollarDeposit() {
        // ¥10,000 reaches the custody master; the custody ledger books a deposit of 10,000.00 — in dollars.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "CUS-1", 10_000, T0));
        fx.post(CustodyTransaction.newBuilder(custody("CT-1", "P-1", TxType.DEPOSIT, 10_000,
                T0.plus(Duration.ofMinutes(10)))).setCurrency("USD").build());
        // Both feeds move on past the match window and its grace.
        java.time.Instant later = T0.plus(Duration.ofHours(4));
        fx.post(custody("TICK", "P-1", TxType.PLATFORM_FEE, 1, later));
        fx.pay(payment("SWEEP", "CUS-1", PartyType.CORPORATE, "GEN-1", 1, later));

        List<FundFlowAlert> unreconciled = fx.alerts().stream()
                .filter(a -> a.getDetector().equals("UNRECONCILED_FLOW")).toList();
        assertEquals(1, unreconciled.size(), "the yuan top-up has no yuan deposit");
        assertEquals("PAY-1", unreconciled.get(0).getEvidence().get(0).getEventId());
        assertEquals(1d, fx.metrics.count("fundwatch.foreign.currency", "topic", "custody.transactions",
                "currency", "USD"));
    }
}
