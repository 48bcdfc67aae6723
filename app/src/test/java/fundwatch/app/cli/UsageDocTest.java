package fundwatch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's usage cannot drift from the command line: its block must be exactly what picocli generates from the
 * @Command definitions. After changing a command, rewrite it with
 * {@code mvn -pl app test -Dtest=UsageDocTest -Dfundwatch.readme.update=true}.
 */
class UsageDocTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldShowTheUsageThatTheCommandLineGenerates() throws Exception {
        // Given README as committed and the usage generated from the commands
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(UsageDoc.BEGIN);
        int end = readme.indexOf(UsageDoc.END);
        assertTrue(begin >= 0 && end > begin, "README.md has no block between '" + UsageDoc.BEGIN + "' and '"
                + UsageDoc.END + "'");
        String committed = readme.substring(begin + UsageDoc.BEGIN.length(), end).strip();
        String generated = UsageDoc.block();

        if (Boolean.getBoolean("fundwatch.readme.update") && !committed.equals(generated)) {
            Files.writeString(README, readme.substring(0, begin + UsageDoc.BEGIN.length()) + "\n" + generated + "\n"
                    + readme.substring(end), StandardCharsets.UTF_8);
            return;
        }
        // Then they are the same, character for character
        assertEquals(generated, committed, "README.md's usage is out of date; rewrite it with "
                + "mvn -pl app test -Dtest=UsageDocTest -Dfundwatch.readme.update=true");
    }
}
