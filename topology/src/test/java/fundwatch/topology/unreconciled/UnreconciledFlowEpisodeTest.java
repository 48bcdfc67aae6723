package fundwatch.topology.unreconciled;

import static fundwatch.topology.support.Episodes.alertIds;
import static fundwatch.topology.support.Episodes.assertOneEpisode;
import static fundwatch.topology.support.Episodes.assertRevisionsNeverRepeat;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** D3b UNRECONCILED_FLOW judges Beijing days; a custody ledger that disagrees every day is one episode. */
class UnreconciledFlowEpisodeTest {

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }

    /** On each given day a top-up into custody whose deposit never appears; both inputs then move on 4 hours. */
    private static List<FundFlowAlert> unreconciledOn(int... days) {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.register(p2pPlatform("P-9"), account("CUS-9", "P-9", AccountPurpose.CUSTODY_MASTER),
                    account("GEN-9", "P-9", AccountPurpose.PLATFORM_GENERAL));
            // The wall clock is a month on, so none of these days is "absurdly far in the future".
            fx.driver.advanceWallClockTime(Duration.ofDays(30));
            for (int d : days) {
                fx.pay(payment("PAY-" + d, "CARD-" + d, PartyType.INDIVIDUAL, "CUS-9", 10_000 + d, day(d)));
                // Traffic that matches nothing moves both inputs past the match window and grace.
                Instant later = day(d).plus(Duration.ofHours(4));
                fx.post(custody("TICK-" + d, "P-9", TxType.PLATFORM_FEE, 1, later));
                fx.pay(payment("SWEEP-" + d, "CUS-9", PartyType.CORPORATE, "GEN-9", 1, later));
            }
            return fx.alerts().stream().filter(a -> a.getDetector().equals("UNRECONCILED_FLOW")).toList();
        }
    }

    @Test
    void shouldKeepOneAlertIdForAnUnreconciledTopUpOnTenConsecutiveDays() {
        assertOneEpisode(unreconciledOn(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 10);
    }

    @Test
    void shouldOpenASecondEpisodeAfterAGapLongerThanTheWindow() {
        List<FundFlowAlert> alerts = unreconciledOn(0, 1, 2, 5, 6);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
    }

    @Test
    void shouldDeriveTheSameAlertIdsFromTheSameInput() {
        assertEquals(alertIds(unreconciledOn(0, 3, 4)), alertIds(unreconciledOn(0, 3, 4)));
    }
}
