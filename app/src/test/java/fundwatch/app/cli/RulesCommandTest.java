package fundwatch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.DetectorRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
    @TempDir
    Path dir;

    private Path file(String body) throws Exception {
        Path f = dir.resolve("rule.properties");
        Files.writeString(f, body);
        return f;
    }

    @Test
    void shouldParseARuleFileIntoADetectorRule() throws Exception {
        Path f = file("detector=CUSTODY_BYPASS\nenabled=false\nversion=2026-11-28.1\n"
                + "params.highDailyAmountMinor=5000000\n");

        DetectorRule rule = RulesCommand.parse(f, Instant.parse("2026-11-28T00:00:00Z"));

        assertEquals("CUSTODY_BYPASS", rule.getDetector());
        assertFalse(rule.getEnabled());
        assertEquals("2026-11-28.1", rule.getVersion());
        assertEquals(Map.of("highDailyAmountMinor", 5_000_000d), rule.getParams());
    }

    @Test
    void shouldAcceptANewLicensedClearingHouseButNotABareFamilyPrefix() throws Exception {
        // D3d's list of clearing organisations is an open parameter family: a new member is a parameter …
        DetectorRule rule = RulesCommand.parse(file("detector=CLEARING_BYPASS\nversion=v2\n"
                + "params.licensedClearingHouse.CNAPS=1\n"), Instant.parse("2026-11-28T00:00:00Z"));
        assertEquals(Map.of("licensedClearingHouse.CNAPS", 1d), rule.getParams());

        // … the prefix alone, or the family on another detector, is a typo.
        assertThrows(IllegalArgumentException.class, () -> RulesCommand.parse(file(
                "detector=CLEARING_BYPASS\nversion=v2\nparams.licensedClearingHouse.=1\n"), Instant.now()));
        assertThrows(IllegalArgumentException.class, () -> RulesCommand.parse(file(
                "detector=CUSTODY_BYPASS\nversion=v2\nparams.licensedClearingHouse.CNAPS=1\n"), Instant.now()));
    }

    @Test
    void shouldRefuseTyposInsteadOfPublishingThem() throws Exception {
        // A misspelt parameter would otherwise silently leave the default in force.
        Path f = file("detector=CUSTODY_BYPASS\nversion=v2\nparams.highDailyAmountMinr=5000000\nenable=true\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RulesCommand.parse(f, Instant.now()));

        assertTrue(e.getMessage().contains("'highDailyAmountMinr' is not a parameter of CUSTODY_BYPASS"),
                e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'enable'"), e.getMessage());
    }

    @Test
    void shouldRefuseUnknownDetectorsMissingVersionsAndNonNumbers() throws Exception {
        Path f = file("detector=FUND_POOLNG\nparams.x=abc\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RulesCommand.parse(f, Instant.now()));

        assertTrue(e.getMessage().contains("detector 'FUND_POOLNG' is not one of"), e.getMessage());
        assertTrue(e.getMessage().contains("version is required"), e.getMessage());
    }
}
