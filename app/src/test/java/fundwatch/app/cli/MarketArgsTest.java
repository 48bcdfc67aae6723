package fundwatch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.Scheme;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketArgsTest {
    private static final Set<String> VALUED = Set.of("seed", "days", "platforms", "volume", "schemes");

    private static MarketConfig parse(String... argv) {
        String[] all = new String[argv.length + 1];
        all[0] = "simulate";
        System.arraycopy(argv, 0, all, 1, argv.length);
        return MarketArgs.builder(Args.parse(all, 1, Set.of(), VALUED), 30).build();
    }

    @Test
    void shouldReadTheMarketsSizeAndKeepTheDefaultSchemesThatFit() {
        MarketConfig c = parse("--seed", "5", "--days", "90", "--platforms", "200", "--volume", "0.05");

        assertEquals(5, c.seed());
        assertEquals(90, c.simulatedDays());
        assertEquals(200, c.honestPlatforms());
        assertEquals(0.05, c.volume());
        assertEquals(Set.of(Scheme.values()), c.schemes().keySet());
        assertEquals(Set.of(), parse("--schemes", "none").schemes().keySet());
    }

    @Test
    void shouldPlantExactlyTheListedSchemesAtTheirOwnOrDefaultOnsets() {
        MarketConfig c = parse("--days", "40", "--schemes", "rapid_growth@33d,BORROWER_OVER_CAPS");

        assertEquals(Map.of(Scheme.RAPID_GROWTH, Duration.ofDays(33),
                Scheme.BORROWER_OVER_CAPS, Scheme.BORROWER_OVER_CAPS.defaultOnset()), c.schemes());
        // "all" plants even what the span is too short to show, if its onset lies in the span
        MarketConfig all = parse("--days", "3", "--schemes", "all");
        assertTrue(all.isEnabled(Scheme.RECTIFYING_GROWER));
        assertTrue(!all.isEnabled(Scheme.RAPID_GROWTH));
        assertEquals(Optional.of(Duration.ofHours(36)),
                parse("--schemes", "PONZI@36h").onset(Scheme.PONZI));
    }

    @Test
    void shouldNameTheKnownSchemesWhenOneIsMisspelt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--schemes", "PONZY"));
        assertTrue(e.getMessage().contains("PONZY") && e.getMessage().contains("UNLICENSED_HUB"), e.getMessage());
    }
}
