package fundwatch.app.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void shouldWritePlainLinesWithDoneTotalAndRateWhenNotOnATerminal() {
        // Given log mode (what CI and files get) on a captured stderr
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress p = Progress.start("replay", 10_000, "events", Progress.Mode.LOG,
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofHours(1));

        // When the work finishes
        p.stepTo(10_000);
        p.close();

        // Then the last line says how much of what, how fast, with no carriage returns or bar characters
        String out = err.toString(StandardCharsets.UTF_8);
        String last = out.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("replay 100%"), out);
        assertTrue(last.contains("10,000/10,000 events") || last.contains("10000/10000 events"), out);
        assertTrue(last.contains("events/s"), out);
        assertFalse(out.contains("\r") || out.contains("["), out);
    }

    @Test
    void shouldDrawABarInPlaceOnATerminal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress p = Progress.start("history", 200, "events", Progress.Mode.BAR,
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.LOG_INTERVAL);

        p.stepTo(200);
        p.close();

        String out = err.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\r") && out.contains("history 100%") && out.contains("200/200"), out);
    }

    @Test
    void shouldShowNothingWhenAskedForNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress p = Progress.start("x", 5, "events", Progress.Mode.NONE,
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.LOG_INTERVAL);
        p.stepTo(5);
        p.close();

        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
