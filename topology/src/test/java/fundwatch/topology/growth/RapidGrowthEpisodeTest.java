package fundwatch.topology.growth;

import static fundwatch.topology.support.Episodes.alertIds;
import static fundwatch.topology.support.Episodes.assertOneEpisode;
import static fundwatch.topology.support.Episodes.assertRevisionsNeverRepeat;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** D6 RAPID_GROWTH judges a sliding 7-day window each day against the 28 days before it. */
class RapidGrowthEpisodeTest {
    /** 10:00 Beijing, 120 days before the fixture's clock. */
    private static final Instant DAY1 = T0.minus(Duration.ofDays(120));

    private static Instant day(int n) {
        return DAY1.plus(Duration.ofDays(n - 1));
    }

    /** ¥100,000 of deposits a day for {@code days} days, ¥400,000 on the spurt's days. */
    private static List<FundFlowAlert> growth(int days, IntPredicate spurt) {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.register(p2pPlatform("P-6"));
            for (int d = 1; d <= days; d++) {
                String lender = "pty-lender-" + (d % 5);
                fx.post(CustodyTransaction.newBuilder(custody("CT-" + d, "P-6", TxType.DEPOSIT,
                                spurt.test(d) ? 400_000 : 100_000, day(d)))
                        .setCreditAccountId("SUB-" + lender).setCreditPartyId(lender).setDebitPartyId(lender).build());
            }
            fx.post(custody("CT-TICK", "P-TICK", TxType.WITHDRAWAL, 1, day(days + 2)));
            return fx.alerts().stream().filter(a -> a.getDetector().equals("RAPID_GROWTH")).toList();
        }
    }

    @Test
    void shouldKeepOneAlertIdForASpurtOnTenConsecutiveDays() {
        // Five weeks of baseline, then ten days at four times the rate: the week's ratio stays ≥ 3 for days on end.
        assertOneEpisode(growth(47, d -> d >= 36 && d <= 45), 1);
    }

    @Test
    void shouldOpenASecondEpisodeAfterAGapLongerThanTheWindow() {
        // A spurt on days 36–42 (firing until day 48), four quiet weeks at the old rate, a second spurt from day 85
        // against a baseline that no longer holds the first: over a month without firing, far more than 7 days.
        List<FundFlowAlert> alerts = growth(95, d -> d >= 36 && d <= 42 || d >= 85 && d <= 91);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
    }

    @Test
    void shouldDeriveTheSameAlertIdsFromTheSameInput() {
        IntPredicate twoSpurts = d -> d >= 36 && d <= 42 || d >= 85 && d <= 91;
        assertEquals(alertIds(growth(95, twoSpurts)), alertIds(growth(95, twoSpurts)));
    }
}
