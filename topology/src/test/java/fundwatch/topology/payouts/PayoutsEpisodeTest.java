package fundwatch.topology.payouts;

import static fundwatch.topology.payouts.PayoutFixtures.deposit;
import static fundwatch.topology.payouts.PayoutFixtures.repay;
import static fundwatch.topology.payouts.PayoutFixtures.subsidy;
import static fundwatch.topology.payouts.PayoutFixtures.tick;
import static fundwatch.topology.support.Episodes.alertIds;
import static fundwatch.topology.support.Episodes.assertOneEpisode;
import static fundwatch.topology.support.Episodes.assertRevisionsNeverRepeat;
import static fundwatch.topology.support.Episodes.summary;
import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountRole;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * D5a YIELD_SUBSIDY and D5b NEW_MONEY_PAYS_OLD judge a sliding 30-day window each day. A scheme that keeps going is
 * one episode — also past the 30 days after it first fired, where the detector itself starts a new window — and
 * only a pause of more than a window length opens a second one.
 */
class PayoutsEpisodeTest {
    /** 10:00 Beijing, 100 days before the fixture's clock. */
    private static final Instant DAY1 = T0.minus(Duration.ofDays(100));

    private static Instant at(int day, int hour) {
        return DAY1.plus(Duration.ofDays(day - 1)).plus(Duration.ofHours(hour));
    }

    /**
     * A platform whose borrowers repay honestly every day for {@code days} days, and which on the scheme's days
     * pays ¥100,000 of bonuses (D5a) and ¥100,000 of "interest" from its own account, covered by new deposits (D5b).
     */
    private static List<FundFlowAlert> scheme(String detector, int days, IntPredicate schemeDay) {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.register(p2pPlatform("P-5"));
            for (int d = 1; d <= days; d++) {
                // ¥1,000,000 of interest a day from borrowers: the bonuses stay below 10 % of the interest (only their
                // amount alerts), and the platform's own payouts are a gap of 60 % a scheme day.
                fx.post(repay("CT-I-" + d, "P-5", TxType.REPAY_INTEREST, AccountRole.BORROWER, 1_000_000, at(d, 0)));
                if (schemeDay.test(d)) {
                    fx.post(subsidy("CT-S-" + d, "P-5", 100_000, at(d, 1)));
                    fx.post(repay("CT-P-" + d, "P-5", TxType.REPAY_INTEREST, AccountRole.PLATFORM_OWN, 600_000,
                            at(d, 2)));
                    fx.post(deposit("CT-D-" + d, "P-5", 1_000_000, at(d, 3)));
                }
            }
            fx.post(tick("P-5", at(days + 2, 0)));
            return fx.alerts().stream().filter(a -> a.getDetector().equals(detector)).toList();
        }
    }

    @Test
    void shouldKeepOneSubsidyAlertIdForTenConsecutiveDays() {
        // ¥100,000 a day: over ¥500,000 from day 6, and the finding stays true while the bonuses are in the window.
        List<FundFlowAlert> alerts = scheme("YIELD_SUBSIDY", 12, d -> d <= 10);

        assertOneEpisode(alerts, 2);
    }

    @Test
    void shouldKeepOneSubsidyAlertIdForASchemeThatOutlastsTheDetectorsOwnWindow() {
        // Sixty days of bonuses: the detector's alert window runs out 30 days after it first fired and it reports
        // a new window; the scheme never paused, so the lifecycle keeps the one episode.
        List<FundFlowAlert> alerts = scheme("YIELD_SUBSIDY", 62, d -> d <= 60);

        assertOneEpisode(alerts, 2);
        FundFlowAlert last = alerts.get(alerts.size() - 1);
        assertEquals(at(1, 0).minus(Duration.ofHours(10)), last.getWindowStart());
        // The detector did report a second window (a second alertId before episodes): the episode spans both.
        assertTrue(last.getWindowEnd().isAfter(alerts.get(0).getWindowEnd()), () -> summary(alerts));
    }

    @Test
    void shouldOpenASecondSubsidyEpisodeAfterAPauseLongerThanTheWindow() {
        // Days 1–10 (firing until day 34, while six days of bonuses are in the window), 64 quiet days, days 75–84
        // (firing again from day 80): 45 days without firing, more than the 30-day window.
        List<FundFlowAlert> alerts = scheme("YIELD_SUBSIDY", 86, d -> d <= 10 || d >= 75 && d <= 84);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
    }

    @Test
    void shouldKeepOneNewMoneyPaysOldAlertIdForTenConsecutiveDays() {
        assertOneEpisode(scheme("NEW_MONEY_PAYS_OLD", 12, d -> d <= 10), 1);
    }

    @Test
    void shouldOpenASecondNewMoneyPaysOldEpisodeAfterAPauseLongerThanTheWindow() {
        // The gap needs three scheme days in the window: firing until day 37, again from day 77.
        List<FundFlowAlert> alerts = scheme("NEW_MONEY_PAYS_OLD", 86, d -> d <= 10 || d >= 75 && d <= 84);

        assertEquals(2, alertIds(alerts).size());
        assertRevisionsNeverRepeat(alerts);
    }

    @Test
    void shouldDeriveTheSameAlertIdsFromTheSameInput() {
        IntPredicate twoBursts = d -> d <= 10 || d >= 75 && d <= 84;
        assertEquals(alertIds(scheme("YIELD_SUBSIDY", 86, twoBursts)),
                alertIds(scheme("YIELD_SUBSIDY", 86, twoBursts)));
        assertEquals(alertIds(scheme("NEW_MONEY_PAYS_OLD", 86, twoBursts)),
                alertIds(scheme("NEW_MONEY_PAYS_OLD", 86, twoBursts)));
    }
}
