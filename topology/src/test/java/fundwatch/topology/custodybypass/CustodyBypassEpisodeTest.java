package fundwatch.topology.custodybypass;

import static fundwatch.topology.support.Episodes.alertIds;
import static fundwatch.topology.support.Episodes.assertOneEpisode;
import static fundwatch.topology.support.Episodes.assertRevisionsNeverRepeat;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** D3a CUSTODY_BYPASS judges Beijing days; an ongoing bypass is one episode, not one alert a day. */
class CustodyBypassEpisodeTest {

    /** A platform whose general account takes ¥50,000 from an investor on each of the given days. */
    private static List<FundFlowAlert> bypassOn(int... days) {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.register(p2pPlatform("P-17"), account("GEN-17", "P-17", AccountPurpose.PLATFORM_GENERAL));
            // The wall clock is a month on, so none of these days is "absurdly far in the future".
            fx.driver.advanceWallClockTime(Duration.ofDays(30));
            for (int d : days) {
                // Every one of these days is a bypass finding of its own one-day window.
                fx.pay(payment("PAY-" + d, "CARD-" + d, PartyType.INDIVIDUAL, "GEN-17", 50_000, day(d)));
            }
            return fx.alerts();
        }
    }

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }

    @Test
    void shouldKeepOneAlertIdForABypassOnTenConsecutiveDays() {
        List<FundFlowAlert> alerts = bypassOn(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        // One alertId; each day adds a revision; the alert spans the ten days.
        assertOneEpisode(alerts, 10);
        FundFlowAlert last = alerts.get(alerts.size() - 1);
        assertEquals(Duration.ofDays(10), Duration.between(last.getWindowStart(), last.getWindowEnd()));
        assertEquals(10, last.getRevision());
    }

    @Test
    void shouldOpenASecondEpisodeAfterAGapLongerThanTheWindow() {
        // Days 0–4, two quiet days (longer than the one-day window), days 7–9.
        List<FundFlowAlert> alerts = bypassOn(0, 1, 2, 3, 4, 7, 8, 9);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
        assertEquals(1, alerts.get(5).getRevision());
    }

    @Test
    void shouldDeriveTheSameAlertIdsFromTheSameInput() {
        assertEquals(alertIds(bypassOn(0, 1, 2, 5, 6)), alertIds(bypassOn(0, 1, 2, 5, 6)));
    }
}
