package fundwatch.app.evaluate;

import fundwatch.app.progress.Progress;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.simulator.TruthRecord;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays the AMLSim export through fundwatch's real topology and scores the hub detectors' alerts against
 * the labelled patterns.
 *
 * <p>Why a TopologyTestDriver and not a broker: scoring needs every payment processed in event-time order and
 * then every alert, deterministically and within seconds; the driver runs exactly the topology {@code run}
 * deploys (same builder, same serdes through an in-memory schema registry, same stores), only synchronously.
 * Its wall clock follows the data (the validator rejects event times more than a day ahead of the wall clock),
 * so 2017 timestamps are processed as they would have been live.
 */
public final class AmlsimEvaluation {
    /** The detector expected to find AMLSim's hubs: D1c, an account that gathers from many and passes it on. */
    static final String HUB_DETECTOR = DetectorDefaults.FUND_POOLING;
    public static final List<String> TYPES = List.of("fan_in", "gather_scatter", "fan_out", "cycle",
            "scatter_gather");
    /** The pattern types D1c is built to find (the hub receives from the others); the README's target row. */
    public static final List<String> TARGET_TYPES = List.of("fan_in", "gather_scatter");

    /** Recall of one pattern type (or of the target types together): patterns with a matching alert. */
    public record TypeRecall(String type, int patterns, int found, double recall) {
    }

    /**
     * The whole outcome, scored by {@link TruthEvaluation}'s strict rule against {@link #truth}.
     *
     * @param duplicateRevisions (alertId, revision) pairs emitted more than once: must be 0
     * @param detectors          the strict per-detector scores (every detector that alerted, and FUND_POOLING)
     */
    public record Result(int payments, int alertIds, int alertRevisions, int duplicateRevisions, int deadLetters,
            Map<String, TruthEvaluation.DetectorScore> detectors, Map<String, TypeRecall> byType, TypeRecall target,
            long millis) {
    }

    private AmlsimEvaluation() {
    }

    /**
     * AMLSim's labels as ground truth: per pattern, its hub (every member of a cycle, which has none) as an ACCOUNT
     * record expecting {@link #HUB_DETECTOR}, from the pattern's first transfer to its last. Any other alert — another
     * detector, an account of no pattern, a hub's alert outside its pattern's span — is a false positive.
     */
    static List<TruthRecord> truth(List<AmlsimDataset.Pattern> patterns) {
        List<TruthRecord> out = new ArrayList<>();
        for (AmlsimDataset.Pattern p : patterns) {
            for (String hub : p.hubs()) {
                out.add(new TruthRecord(p.type() + " " + p.alertId(), List.of(HUB_DETECTOR), hub, p.first(),
                        TruthRecord.Kind.SCHEME, "ACCOUNT", p.last()));
            }
        }
        return out;
    }

    public static Result run(AmlsimDataset data, List<DetectorRule> rules) throws Exception {
        return run(data, rules, Progress.none());
    }

    /** As {@link #run(AmlsimDataset, List)}, counting each payment replayed on {@code progress}. */
    public static Result run(AmlsimDataset data, List<DetectorRule> rules, Progress progress) throws Exception {
        long started = System.nanoTime();
        List<ClearingPayment> payments = data.payments();
        Instant first = payments.get(0).getEventTime();
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), registry);
        FundwatchMetrics metrics = FundwatchMetrics.detached();
        java.nio.file.Path stateDir = Files.createTempDirectory("fundwatch-evaluate");
        List<AlertSighting> sightings = new ArrayList<>();
        int deadLetters;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                FundwatchTopology.build(topics, TopologySettings.defaults().withStateInMemory(), metrics),
                MarketReplay.properties(metrics, stateDir), first)) {
            StringSerializer keys = new StringSerializer();
            TestInputTopic<String, DetectorRule> ruleTopic = driver.createInputTopic(topics.rules().name(), keys,
                    topics.rules().valueSerde().serializer());
            TestInputTopic<String, ClearingPayment> clearing = driver.createInputTopic(
                    topics.clearingPayments().name(), keys, topics.clearingPayments().valueSerde().serializer());
            TestOutputTopic<String, FundFlowAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                    new StringDeserializer(), topics.alerts().valueSerde().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(topics.deadLetters().name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            for (DetectorRule r : rules) {
                ruleTopic.pipeInput(r.getDetector(), r, first);
            }
            Instant wall = first;
            long replayed = 0;
            for (ClearingPayment p : payments) {
                if ((++replayed & 0x3FF) == 0) {
                    progress.stepTo(replayed);
                }
                if (p.getEventTime().isAfter(wall)) {
                    driver.advanceWallClockTime(Duration.between(wall, p.getEventTime()));
                    wall = p.getEventTime();
                }
                clearing.pipeInput(p.getPayerAccountId(), p, p.getEventTime());
            }
            progress.stepTo(replayed);
            for (FundFlowAlert a : alerts.readValuesToList()) {
                sightings.add(AlertSighting.of(a));
            }
            deadLetters = dlq.readRecordsToList().size();
        } finally {
            deleteRecursively(stateDir);
        }
        return score(data, sightings, payments.size(), deadLetters, (System.nanoTime() - started) / 1_000_000);
    }

    /** Strict per-detector scores, and per pattern type the patterns one of whose records an alert matched. */
    static Result score(AmlsimDataset data, List<AlertSighting> alerts, int payments, int deadLetters, long millis) {
        List<TruthRecord> truth = truth(data.patterns());
        Map<String, TruthEvaluation.DetectorScore> detectors = TruthEvaluation.score(truth, alerts);
        Map<String, TypeRecall> byType = new LinkedHashMap<>();
        for (String type : TYPES) {
            byType.put(type, recall(type, data.patterns().stream().filter(p -> p.type().equals(type)).toList(),
                    alerts));
        }
        TypeRecall target = recall(String.join("+", TARGET_TYPES), data.patterns().stream()
                .filter(p -> TARGET_TYPES.contains(p.type())).toList(), alerts);
        int alertIds = (int) alerts.stream().map(AlertSighting::alertId).distinct().count();
        int distinctRevisions = (int) alerts.stream().map(a -> a.alertId() + "#" + a.revision()).distinct().count();
        return new Result(payments, alertIds, alerts.size(), alerts.size() - distinctRevisions, deadLetters,
                detectors, byType, target, millis);
    }

    private static TypeRecall recall(String type, List<AmlsimDataset.Pattern> patterns, List<AlertSighting> alerts) {
        int found = 0;
        for (AmlsimDataset.Pattern p : patterns) {
            List<TruthRecord> records = truth(List.of(p));
            if (alerts.stream().anyMatch(a -> records.stream().anyMatch(t -> TruthEvaluation.matches(t, a)))) {
                found++;
            }
        }
        return new TypeRecall(type, patterns.size(), found, patterns.isEmpty() ? 0 : found / (double) patterns.size());
    }

    private static void deleteRecursively(java.nio.file.Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
