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
import picocli.CommandLine;

class MarketOptionsTest {
    /** A command with nothing but the market flags, as simulate and evaluate --market mix them in. */
    @CommandLine.Command(name = "market")
    static final class Holder {
        @CommandLine.Mixin
        MarketOptions market;
    }

    private static MarketConfig parse(String... argv) {
        Holder holder = new Holder();
        CommandLine cl = new CommandLine(holder);
        cl.parseArgs(argv);
        return holder.market.builder(30, cl).build();
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
        // The error names the flag and the known schemes, at parse time.
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--schemes", "PONZY"));
        assertTrue(e.getMessage().contains("--schemes") && e.getMessage().contains("PONZY")
                && e.getMessage().contains("UNLICENSED_HUB"), e.getMessage());
    }

    @Test
    void shouldRefuseAnEmptyMarketNamingTheFlag() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--days", "0"));
        assertTrue(e.getMessage().contains("--days"), e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--volume", "NaN"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--seed", "abc"));
    }
}
