package fundwatch.app.evaluate;

import fundwatch.avro.DetectorRule;
import fundwatch.topology.rules.DetectorDefaults;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Rule records for several detectors in one properties file: {@code DETECTOR.enabled}, {@code DETECTOR.version}
 * and {@code DETECTOR.params.NAME=VALUE}. Unknown detectors and parameter names are refused, so a typo cannot
 * silently leave a default in force.
 */
public final class RuleSet {
    public static final String BUNDLED_AMLSIM = "/evaluate/amlsim-rules.properties";

    private RuleSet() {
    }

    public static List<DetectorRule> load(Path file, Instant updatedAt) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            Properties p = new Properties();
            p.load(r);
            return parse(p, updatedAt, file.toString());
        }
    }

    public static List<DetectorRule> bundledAmlsim(Instant updatedAt) throws IOException {
        try (InputStream in = RuleSet.class.getResourceAsStream(BUNDLED_AMLSIM)) {
            if (in == null) {
                throw new IOException("missing resource " + BUNDLED_AMLSIM);
            }
            Properties p = new Properties();
            p.load(in);
            return parse(p, updatedAt, BUNDLED_AMLSIM);
        }
    }

    static List<DetectorRule> parse(Properties p, Instant updatedAt, String source) {
        Map<String, Map<String, Double>> params = new TreeMap<>();
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            int dot = key.indexOf('.');
            String detector = dot < 0 ? key : key.substring(0, dot);
            String rest = dot < 0 ? "" : key.substring(dot + 1);
            String value = p.getProperty(key).trim();
            if (!DetectorDefaults.isKnown(detector)) {
                problems.add("unknown detector in '" + key + "'");
                continue;
            }
            params.computeIfAbsent(detector, d -> new TreeMap<>());
            if (rest.equals("enabled")) {
                enabled.put(detector, Boolean.parseBoolean(value));
            } else if (rest.equals("version")) {
                versions.put(detector, value);
            } else if (rest.startsWith("params.")
                    && DetectorDefaults.acceptsParam(detector, rest.substring("params.".length()))) {
                try {
                    params.get(detector).put(rest.substring("params.".length()), Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    problems.add("'" + key + "' is not a number: " + value);
                }
            } else {
                problems.add("unknown key '" + key + "' (DETECTOR.enabled, DETECTOR.version, DETECTOR.params.NAME; "
                        + detector + " has " + DetectorDefaults.of(detector).keySet() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        List<DetectorRule> rules = new ArrayList<>();
        params.forEach((detector, ps) -> rules.add(DetectorRule.newBuilder()
                .setDetector(detector)
                .setEnabled(enabled.getOrDefault(detector, true))
                .setVersion(versions.getOrDefault(detector, "evaluate"))
                .setParams(ps)
                .setUpdatedAt(updatedAt)
                .build()));
        return rules;
    }
}
