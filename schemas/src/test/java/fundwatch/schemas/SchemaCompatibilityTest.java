package fundwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The backward-compatibility gate: the current schemas must read every released schema version
 * (committed under compat-baseline/vN/), because old data stays on topics and old producers keep
 * running. See schemas/README.md.
 */
class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path baselineRoot() throws URISyntaxException {
        URL root = SchemaCompatibilityTest.class.getResource("/compat-baseline");
        if (root == null) {
            throw new IllegalStateException("no compat-baseline on the test classpath");
        }
        return Path.of(root.toURI());
    }

    private static List<Path> versionDirs() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(baselineRoot())) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Schema parse(Path file) throws IOException {
        // A fresh parser per file: each baseline must be self-contained.
        return new Schema.Parser().parse(file.toFile());
    }

    /** What the current (reader) schema cannot read of the released (writer) one; empty if compatible. */
    static String problems(Schema current, Schema released) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return "";
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("\n"));
    }

    @TestFactory
    List<DynamicTest> shouldReadEveryReleasedVersionOfEveryContractRecord() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path version : versionDirs()) {
            for (Map.Entry<String, Schema> record : Contract.schemas().entrySet()) {
                Path file = version.resolve(record.getKey() + ".avsc");
                if (!Files.exists(file)) {
                    continue; // the record did not exist yet in that release
                }
                tests.add(DynamicTest.dynamicTest(version.getFileName() + "/" + record.getKey(), () -> {
                    // Given the released schema as writer and the current one as reader
                    Schema released = parse(file);

                    // When
                    String problems = problems(record.getValue(), released);

                    // Then
                    assertEquals("", problems, record.getKey() + " can no longer read data written with "
                            + version.getFileName() + ". Give new fields a default, never remove or reorder enum"
                            + " symbols, never change a field's type:\n" + problems);
                }));
            }
        }
        return tests;
    }

    @Test
    void shouldHaveAFirstBaselineCoveringTheWholeContract() throws Exception {
        // The gate is only as good as its baselines: v1 must hold every contract record.
        Path v1 = baselineRoot().resolve("v1");
        for (String record : Contract.schemas().keySet()) {
            assertTrue(Files.exists(v1.resolve(record + ".avsc")), "missing baseline v1/" + record + ".avsc");
        }
    }

    @Test
    void shouldNotHaveBaselinesForRecordsThatNoLongerExist() throws Exception {
        // A contract record may not disappear (or be renamed): its consumers still read it.
        for (Path version : versionDirs()) {
            try (Stream<Path> files = Files.list(version)) {
                for (Path file : files.toList()) {
                    String record = file.getFileName().toString().replace(".avsc", "");
                    assertTrue(Contract.schemas().containsKey(record), "baseline " + version.getFileName() + "/"
                            + file.getFileName() + " names no current contract record");
                    assertEquals(Contract.schemas().get(record).getFullName(), parse(file).getFullName());
                }
            }
        }
    }

    @Test
    void shouldCatchANewFieldWithoutADefault() throws Exception {
        // Given a change that adds a required field to CustodyTransaction
        ObjectNode json = (ObjectNode) JSON.readTree(Contract.schemas().get("CustodyTransaction").toString());
        ((ArrayNode) json.get("fields")).add(JSON.readTree("{\"name\":\"channel\",\"type\":\"string\"}"));
        Schema changed = new Schema.Parser().parse(json.toString());

        // When checked against the v1 baseline
        String problems = problems(changed, parse(baselineRoot().resolve("v1/CustodyTransaction.avsc")));

        // Then the gate names the field
        assertFalse(problems.isEmpty());
        assertTrue(problems.contains("READER_FIELD_MISSING_DEFAULT"), problems);
        assertTrue(problems.contains("channel"), problems);
    }

    @Test
    void shouldCatchARemovedEnumSymbol() throws Exception {
        // Given a change that drops SUBSIDY from TxType
        ObjectNode json = (ObjectNode) JSON.readTree(Contract.schemas().get("CustodyTransaction").toString());
        for (JsonNode field : json.get("fields")) {
            if (field.get("name").asText().equals("type")) {
                ArrayNode symbols = (ArrayNode) field.get("type").get("symbols");
                for (int i = 0; i < symbols.size(); i++) {
                    if (symbols.get(i).asText().equals("SUBSIDY")) {
                        symbols.remove(i);
                    }
                }
            }
        }
        Schema changed = new Schema.Parser().parse(json.toString());

        // When
        String problems = problems(changed, parse(baselineRoot().resolve("v1/CustodyTransaction.avsc")));

        // Then
        assertTrue(problems.contains("MISSING_ENUM_SYMBOLS"), problems);
        assertTrue(problems.contains("SUBSIDY"), problems);
    }

    @Test
    void shouldAcceptANewOptionalField() throws Exception {
        // Given the allowed kind of change: a nullable field with default null
        ObjectNode json = (ObjectNode) JSON.readTree(Contract.schemas().get("FundFlowAlert").toString());
        ((ArrayNode) json.get("fields")).add(JSON.readTree(
                "{\"name\":\"caseUrl\",\"type\":[\"null\",\"string\"],\"default\":null}"));
        Schema changed = new Schema.Parser().parse(json.toString());

        // When / Then
        assertEquals("", problems(changed, parse(baselineRoot().resolve("v1/FundFlowAlert.avsc"))));
    }
}
