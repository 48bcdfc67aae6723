package fundwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the release step that freezes the current contract schemas as a new baseline.
 * Runs only when asked, e.g.
 * {@code mvn -pl schemas test -Dtest=CompatBaselineWriter -Dfundwatch.baseline=v2}.
 * Baselines are append-only, so it refuses to overwrite an existing version.
 */
class CompatBaselineWriter {

    static final Path BASELINE_DIR = Path.of("src", "test", "resources", "compat-baseline");

    @Test
    @EnabledIfSystemProperty(named = "fundwatch.baseline", matches = "v[0-9]+")
    void shouldWriteTheCurrentSchemasAsANewBaselineVersion() throws IOException {
        Path target = BASELINE_DIR.resolve(System.getProperty("fundwatch.baseline"));
        assertFalse(Files.exists(target), target + " exists: baselines are append-only, pick the next version");
        Files.createDirectories(target);
        for (Map.Entry<String, Schema> e : Contract.schemas().entrySet()) {
            // SCHEMA$ is self-contained (FundFlowAlert has Evidence inlined), as registries store it.
            Files.writeString(target.resolve(e.getKey() + ".avsc"), e.getValue().toString(true) + "\n",
                    StandardCharsets.UTF_8);
        }
    }
}
