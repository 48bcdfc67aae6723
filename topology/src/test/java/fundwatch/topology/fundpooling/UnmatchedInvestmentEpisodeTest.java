package fundwatch.topology.fundpooling;

import static fundwatch.topology.support.Episodes.alertIds;
import static fundwatch.topology.support.Episodes.assertOneEpisode;
import static fundwatch.topology.support.Episodes.assertRevisionsNeverRepeat;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.invest;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** D1a FUND_POOLING judges Beijing days; a platform that pools every day is one episode, not one case a day. */
class UnmatchedInvestmentEpisodeTest {

    private static Instant day(int n) {
        return T0.minus(Duration.ofDays(20)).plus(Duration.ofDays(n));
    }

    /** On each given day: ¥1,000,000 to a named project, and ¥200,000 of lender money to the platform's account. */
    private static List<FundFlowAlert> poolingOn(int... days) {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.register(p2pPlatform("P-1"));
            for (int d : days) {
                fx.post(invest("INV-" + d, "P-1", "LOAN-1", 1_000_000, day(d)));
                // 16.7 % of lender outflow and ≥ ¥100,000: that day's window fires.
                fx.post(CustodyTransaction.newBuilder(custody("TR-" + d, "P-1", TxType.TRANSFER, 200_000,
                                day(d).plusSeconds(600)))
                        .setDebitAccountId("SUB-LENDER-1").setDebitRole(AccountRole.LENDER)
                        .setCreditAccountId("OWN-P-1").setCreditRole(AccountRole.PLATFORM_OWN).build());
            }
            return fx.alerts().stream().filter(a -> a.getDetector().equals("FUND_POOLING")).toList();
        }
    }

    @Test
    void shouldKeepOneAlertIdForPoolingOnTenConsecutiveDays() {
        List<FundFlowAlert> alerts = poolingOn(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        assertOneEpisode(alerts, 10);
        FundFlowAlert last = alerts.get(alerts.size() - 1);
        assertEquals(Duration.ofDays(10), Duration.between(last.getWindowStart(), last.getWindowEnd()));
    }

    @Test
    void shouldOpenASecondEpisodeAfterAGapLongerThanTheWindow() {
        List<FundFlowAlert> alerts = poolingOn(0, 1, 2, 6, 7);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
    }

    @Test
    void shouldDeriveTheSameAlertIdsFromTheSameInput() {
        assertEquals(alertIds(poolingOn(0, 1, 4, 5)), alertIds(poolingOn(0, 1, 4, 5)));
    }
}
