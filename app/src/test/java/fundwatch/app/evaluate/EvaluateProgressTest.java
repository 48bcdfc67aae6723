package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fundwatch.app.cli.FundwatchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code evaluate --market}: progress on stderr, only the result on stdout (so `> result.json` stays clean). */
class EvaluateProgressTest {

    @Test
    void shouldReportProgressOnStderrAndOnlyTheResultOnStdout() throws Exception {
        // Given a small market (one honest platform, a day, thin), evaluated as a CI log would see it
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = FundwatchCli.commandLine().execute("evaluate", "--market", "--days", "1", "--platforms", "1",
                    "--volume", "0.05", "--schemes", "none", "--progress", "log", "--json");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        // Then stdout is exactly one JSON object: the result
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "stdout: " + lines);
        JsonNode result = new ObjectMapper().readTree(lines.get(0));
        long events = result.get("events").asLong();
        assertTrue(events > 0, lines.get(0));
        // And stderr says how far the replay came, ending with every event done, without bar characters
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("evaluate --market 0% 0/" + events + " events"), progress);
        assertTrue(progress.contains("evaluate --market 100% " + events + "/" + events + " events"), progress);
        assertFalse(progress.contains("\r"), progress);
    }
}
