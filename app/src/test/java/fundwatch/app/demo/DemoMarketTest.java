package fundwatch.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.Scheme;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoMarketTest {
    private static final Instant NOW = Instant.parse("2026-11-29T04:00:00Z");

    private static Demo.DemoMarket market(Duration duration) {
        return Demo.market(MarketConfig.DEFAULT_SEED, duration, NOW);
    }

    @Test
    void shouldPutFiveWeeksOfHistoryBeforeTheLivePartSoTheGrowthSpurtCanBeJudged() {
        Demo.DemoMarket m = market(Duration.ofSeconds(60));
        MarketConfig c = m.config();

        // The live part is the 60 s at one simulated hour a second, plus an hour, and ends at the wall clock
        assertEquals(NOW.minusSeconds(60 * 3600 + 3600), m.liveFrom());
        assertEquals(m.liveFrom().minus(Duration.ofDays(Demo.HISTORY_DAYS)), c.start());
        assertFalse(c.end().isBefore(NOW));
        // The spurt starts after D6's 28-day baseline, and is found in the history (~4 days after its onset)
        Instant spurt = c.start().plus(c.onset(Scheme.RAPID_GROWTH).orElseThrow());
        assertTrue(spurt.isAfter(c.start().plus(Duration.ofDays(29))), spurt.toString());
        assertTrue(spurt.plus(Duration.ofDays(4)).isBefore(m.liveFrom()), spurt.toString());
        // The borrower over the caps and the other schemes are planted; the rectifying grower needs months
        assertTrue(c.isEnabled(Scheme.BORROWER_OVER_CAPS));
        assertTrue(c.isEnabled(Scheme.CUSTODY_BYPASS) && c.isEnabled(Scheme.UNRECONCILED_FLOW));
        assertTrue(c.isEnabled(Scheme.PAYMENT_RESERVE_MISUSE) && c.isEnabled(Scheme.CLEARING_BYPASS)
                && c.isEnabled(Scheme.UNLICENSED_PAYMENT));
        assertEquals(m.liveFrom(), c.start().plus(c.onset(Scheme.CUSTODY_BYPASS).orElseThrow()));
        assertFalse(c.isEnabled(Scheme.RECTIFYING_GROWER));
    }
}
