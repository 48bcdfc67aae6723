package fundwatch.topology.fundpooling;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.invest;
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

/** D1a unmatched investment and D1b oversubscription (FUND_POOLING) through the real topology. */
class CustodyPoolingTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenTwoLicensedPlatforms() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"));
        fx.register(p2pPlatform("P-2"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** A lender's money moved to one of the platform's own accounts (role given). */
    private static CustodyTransaction lenderTo(String id, String platformId, AccountRole role, long yuan, Instant t) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.TRANSFER, yuan, t))
                .setDebitAccountId("SUB-LENDER-1").setDebitRole(AccountRole.LENDER)
                .setCreditAccountId("OWN-" + platformId).setCreditRole(role).build();
    }

    private List<FundFlowAlert> pooling() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("FUND_POOLING")).toList();
    }

    @Test
    void shouldAlertWhenLenderMoneyGoesToThePlatformsOwnAccountAboveAmountAndShare() {
        // Lenders fund a named project with ¥1,000,000 (matched)
        fx.post(invest("INV-1", "P-1", "LOAN-1", 1_000_000, at(0)));
        // and ¥100,000 goes to the platform's own account: 9.1 % of lender outflow, ≥ ¥100,000 and ≥ 5 %
        fx.post(lenderTo("TR-1", "P-1", AccountRole.PLATFORM_OWN, 100_000, at(10)));

        List<FundFlowAlert> alerts = pooling();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("P-1", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(10_000_000d, a.getMetrics().get("unmatchedAmountMinor"));
        assertEquals(100_000d / 1_100_000d, a.getMetrics().get("unmatchedShare"), 1e-9);
        assertEquals(1, a.getEvidence().size(), "matched investments are not evidence");
        assertEquals("TR-1", a.getEvidence().get(0).getEventId());
    }

    @Test
    void shouldStayQuietForAnHonestPlatformAndForPoolingBelowAmountOrShare() {
        // P-1 is honest: its lenders fund named projects only, and withdraw to their own cards
        fx.post(invest("INV-1", "P-1", "LOAN-1", 2_000_000, at(0)));
        fx.post(invest("INV-2", "P-1", "LOAN-2", 500_000, at(5)));
        fx.post(custody("WD-1", "P-1", TxType.WITHDRAWAL, 300_000, at(6)));
        // and pays ¥90,000 into its risk reserve: unmatched, but below ¥100,000
        fx.post(lenderTo("TR-1", "P-1", AccountRole.RISK_RESERVE, 90_000, at(10)));
        // P-2 moves ¥100,000 unmatched, but next to ¥3,000,000 matched: 3.2 % of lender outflow, below 5 %
        fx.post(invest("INV-3", "P-2", "LOAN-3", 3_000_000, at(0)));
        fx.post(lenderTo("TR-2", "P-2", AccountRole.GUARANTOR, 100_000, at(10)));

        assertTrue(pooling().isEmpty());
    }

    @Test
    void shouldCountWithdrawalsInAllLenderOutflow() {
        // ¥150,000 of lender money goes to the platform's own account next to ¥850,000 of matched investment:
        // 15 % of investment outflow alone…
        fx.post(invest("INV-1", "P-1", "LOAN-1", 850_000, at(0)));
        // …but lenders also withdrew ¥3,000,000 to their cards that day: all lender outflow is ¥4,000,000, and
        // ¥150,000 is 3.75 % of it, below 5 % (DETECTION.md D1a: unmatched / all lender outflow).
        fx.post(custody("WD-1", "P-1", TxType.WITHDRAWAL, 3_000_000, at(5)));
        fx.post(lenderTo("TR-1", "P-1", AccountRole.PLATFORM_OWN, 150_000, at(10)));

        assertTrue(pooling().isEmpty(), () -> pooling().toString());
        // ¥100,000 more: ¥250,000 of ¥4,100,000 is 6.1 %, and the withdrawals are in the denominator.
        fx.post(lenderTo("TR-2", "P-1", AccountRole.PLATFORM_OWN, 100_000, at(15)));
        List<FundFlowAlert> alerts = pooling();
        assertEquals(1, alerts.size());
        assertEquals(410_000_000d, alerts.get(0).getMetrics().get("lenderOutflowMinor"));
        assertEquals(250_000d / 4_100_000d, alerts.get(0).getMetrics().get("unmatchedShare"), 1e-9);
    }

    @Test
    void shouldAlertOnASingleMovementOfAMillionWhateverItsShare() {
        fx.post(invest("INV-1", "P-1", "LOAN-1", 50_000_000, at(0)));
        // INVEST without a product: matched to nothing, ¥1,000,000 in one movement (2 % of the day's outflow)
        fx.post(CustodyTransaction.newBuilder(invest("INV-2", "P-1", "LOAN-2", 1_000_000, at(5)))
                .setProductId(null).build());

        List<FundFlowAlert> alerts = pooling();
        assertEquals(1, alerts.size());
        assertEquals(Severity.CRITICAL, alerts.get(0).getSeverity());
        assertEquals(100_000_000d, alerts.get(0).getMetrics().get("largestUnmatchedMinor"));
    }

    @Test
    void shouldAlertWhenAProductRaisesMoreThanOnePercentOverItsTarget() {
        // A loan project with a ¥1,000,000 target
        fx.issue(product("LOAN-9", "P-1", 800, false));
        // ¥1,010,000 in total: exactly target + 1 %, still within tolerance
        fx.post(invest("INV-1", "P-1", "LOAN-9", 600_000, at(0)));
        fx.post(invest("INV-2", "P-1", "LOAN-9", 410_000, at(5)));
        assertTrue(pooling().isEmpty());

        // One more yuan crosses it
        fx.post(invest("INV-3", "P-1", "LOAN-9", 1, at(10)));

        List<FundFlowAlert> alerts = pooling();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("LOAN-9", a.getSubjectId());
        assertEquals(SubjectType.PRODUCT, a.getSubjectType());
        assertEquals("P-1", a.getPlatformId());
        assertEquals(101_000_100d, a.getMetrics().get("investedMinor"));
    }
}
