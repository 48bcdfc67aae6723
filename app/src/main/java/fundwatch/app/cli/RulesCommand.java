package fundwatch.app.cli;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.avro.DetectorRule;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.topology.rules.DetectorDefaults;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code fundwatch rules}: publishes one detector's thresholds to the compacted rules topic from a small
 * properties file, so an analyst never hand-crafts Avro. The file is checked against the detector's known
 * parameters first; a typo is refused, not published. {@code --reset DETECTOR} publishes a tombstone, which
 * brings the built-in defaults back.
 *
 * <pre>
 * detector=CUSTODY_BYPASS
 * enabled=true
 * version=2026-11-28.1
 * params.highDailyAmountMinor=5000000
 * </pre>
 */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        header = "Publish a detector's thresholds to the rules topic, or reset it to its defaults.",
        description = {"Publish a detector's thresholds to the rules topic (fundwatch.rules) from a properties file, "
                + "checked against the detector's parameters first; or reset a detector to its defaults.",
                "RULE.properties: detector=CUSTODY_BYPASS, enabled=true, version=2026-11-28.1, "
                        + "params.highDailyAmountMinor=5000000"},
        footer = ConfigOptions.FOOTER)
public final class RulesCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    What what;

    static final class What {
        @Option(names = "--file", paramLabel = "RULE.properties", required = true,
                description = "The rule to publish.")
        Path file;

        @Option(names = "--reset", paramLabel = "DETECTOR", required = true,
                description = "Publish a tombstone: the detector's built-in defaults come back.")
        String reset;
    }

    @Option(names = "--dry-run", description = "Check and show the rule; publish nothing.")
    boolean dryRun;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        config.flags(); // a mistyped flag first, with its suggestion
        if (what == null) {
            throw new ParameterException(spec.commandLine(), "rules needs --file RULE.properties or --reset DETECTOR");
        }
        String key;
        DetectorRule rule;
        if (what.file != null) {
            rule = parse(what.file, Instant.now());
            key = rule.getDetector();
        } else {
            if (!DetectorDefaults.isKnown(what.reset)) {
                throw new ParameterException(spec.commandLine(), "--reset: unknown detector '" + what.reset
                        + "'; known: " + DetectorDefaults.all().keySet());
            }
            key = what.reset;
            rule = null;
        }
        FundwatchConfig loaded = config.load();
        if (dryRun) {
            System.out.println(rule == null ? "would reset " + key + " to defaults" : "would publish " + rule);
            return 0;
        }
        String topic = loaded.topicNames().rules();
        Map<String, Object> producerConfig = new java.util.HashMap<>(loaded.producerProperties());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, DetectorRule> producer = new KafkaProducer<>(producerConfig,
                new StringSerializer(),
                AvroSerdes.forType(DetectorRule.class, RestSchemaRegistryClient.fromConfig(loaded.registryConfig()))
                        .serializer())) {
            ProducerRecord<String, DetectorRule> record = new ProducerRecord<>(topic, key, rule);
            // Who published it, for the audit line each fundwatch instance logs when it applies the rule.
            record.headers().add(fundwatch.app.runtime.RuleAudit.CHANGED_BY_HEADER, changedBy()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        System.out.println(rule == null ? "reset " + key + " to defaults on " + topic
                : "published " + key + " version " + rule.getVersion() + " on " + topic + ": enabled="
                        + rule.getEnabled() + " params=" + rule.getParams());
        return 0;
    }

    /** {@code user@host} of the operator publishing; FUNDWATCH_CHANGED_BY overrides it (e.g. a ticket id). */
    static String changedBy() {
        String explicit = System.getenv("FUNDWATCH_CHANGED_BY");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }

    /** Reads and checks a rule file; every problem is reported at once. */
    public static DetectorRule parse(Path file, Instant now) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("rule file " + file + " does not exist", e);
        } catch (IllegalArgumentException e) { // a malformed unicode escape
            throw new IllegalArgumentException("rule file " + file + " is not a properties file: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        String detector = p.getProperty("detector", "").trim();
        Map<String, Double> defaults = DetectorDefaults.isKnown(detector) ? DetectorDefaults.of(detector) : null;
        if (defaults == null) {
            problems.add("detector '" + detector + "' is not one of " + DetectorDefaults.all().keySet());
        }
        String version = p.getProperty("version", "").trim();
        if (version.isEmpty()) {
            problems.add("version is required (it is shown in every alert the rule produces)");
        }
        String enabled = p.getProperty("enabled", "true").trim();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            problems.add("enabled must be true or false, was '" + enabled + "'");
        }
        Map<String, Double> params = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.equals("detector") || name.equals("version") || name.equals("enabled")) {
                continue;
            }
            if (!name.startsWith("params.")) {
                problems.add("unknown key '" + name + "' (parameters are written params.NAME=VALUE)");
                continue;
            }
            String param = name.substring("params.".length());
            if (defaults != null && !DetectorDefaults.acceptsParam(detector, param)) {
                problems.add("'" + param + "' is not a parameter of " + detector + "; known: " + defaults.keySet());
                continue;
            }
            try {
                double v = Double.parseDouble(p.getProperty(name).trim());
                if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
                    problems.add(param + " must be a finite number >= 0");
                } else {
                    params.put(param, v);
                }
            } catch (NumberFormatException e) {
                problems.add(param + " is not a number: '" + p.getProperty(name) + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("rule file " + file + " is invalid:\n  - "
                    + String.join("\n  - ", problems));
        }
        return DetectorRule.newBuilder().setDetector(detector).setEnabled(Boolean.parseBoolean(enabled))
                .setVersion(version).setParams(params).setUpdatedAt(now).build();
    }
}
