package fundwatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ground truth as JSON lines, one {@link TruthRecord} per line:
 * <pre>{"scheme":"CUSTODY_BYPASS","kind":"SCHEME","detectors":["CUSTODY_BYPASS"],"subjectType":"PLATFORM",
 * "subjectId":"P-004","onsetEventTime":"2025-06-01T16:00:00Z","onsetEventTimeMillis":1748793600000}</pre>
 * The time is written both as ISO-8601 (for people) and as epoch millis (as in the Avro records). A near miss has
 * {@code "kind":"NEAR_MISS"} and names the detectors it comes close to. Files written before {@code kind},
 * {@code subjectType} and {@code endEventTime} existed are read as schemes of any subject type running to the end.
 */
public final class TruthWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TruthWriter() {
    }

    public static void write(List<TruthRecord> truth, Writer out) throws IOException {
        for (TruthRecord r : truth) {
            out.write(toJson(r));
            out.write('\n');
        }
        out.flush();
    }

    public static void write(List<TruthRecord> truth, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(truth, out);
        }
    }

    public static String toJson(TruthRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("scheme", r.scheme());
        node.put("kind", r.kind().name());
        ArrayNode detectors = node.putArray("detectors");
        r.detectors().forEach(detectors::add);
        if (r.subjectType() != null) {
            node.put("subjectType", r.subjectType());
        }
        node.put("subjectId", r.subjectId());
        node.put("onsetEventTime", r.onsetEventTime().toString());
        node.put("onsetEventTimeMillis", r.onsetEventTime().toEpochMilli());
        if (r.endEventTime() != null) {
            node.put("endEventTime", r.endEventTime().toString());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #write} wrote; blank lines are skipped. */
    public static List<TruthRecord> read(Reader in) throws IOException {
        List<TruthRecord> out = new ArrayList<>();
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            List<String> detectors = new ArrayList<>();
            node.path("detectors").forEach(d -> detectors.add(d.asText()));
            JsonNode kind = node.get("kind");
            JsonNode type = node.get("subjectType");
            JsonNode end = node.get("endEventTime");
            out.add(new TruthRecord(node.path("scheme").asText(), detectors, node.path("subjectId").asText(),
                    Instant.parse(node.path("onsetEventTime").asText()),
                    kind == null || kind.isNull() ? TruthRecord.Kind.SCHEME : TruthRecord.Kind.valueOf(kind.asText()),
                    type == null || type.isNull() ? null : type.asText(),
                    end == null || end.isNull() ? null : Instant.parse(end.asText())));
        }
        return out;
    }

    public static List<TruthRecord> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }
}
