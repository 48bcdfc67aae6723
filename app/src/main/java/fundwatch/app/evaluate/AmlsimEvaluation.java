package fundwatch.app.evaluate;

import fundwatch.app.progress.Progress;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.SubjectType;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    /** The detectors whose ACCOUNT alerts count as "this account is a hub". */
    static final Set<String> HUB_DETECTORS = Set.of(DetectorDefaults.FUND_POOLING,
            DetectorDefaults.ILLEGAL_FUNDRAISING);
    public static final List<String> TYPES = List.of("fan_in", "gather_scatter", "fan_out", "cycle",
            "scatter_gather");

    /** Scores of one pattern type (or of all hubs together). */
    public record Score(String type, int patterns, int found, int flaggedHubs, int falsePositives, int alerts,
            double precision, double recall) {
    }

    /** The whole outcome. */
    /** @param duplicateRevisions (alertId, revision) pairs emitted more than once: must be 0 */
    public record Result(int payments, int flaggedAccounts, int alertIds, int alertRevisions, int duplicateRevisions,
            int deadLetters,
            Map<String, Score> byType, Score targetHubs, Set<String> falsePositiveAccounts, long millis) {
    }

    private AmlsimEvaluation() {
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
        Map<String, List<FundFlowAlert>> alertsBySubject = new TreeMap<>();
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
                if (HUB_DETECTORS.contains(a.getDetector()) && a.getSubjectType() == SubjectType.ACCOUNT) {
                    alertsBySubject.computeIfAbsent(a.getSubjectId(), k -> new java.util.ArrayList<>()).add(a);
                }
            }
            deadLetters = dlq.readRecordsToList().size();
        } finally {
            deleteRecursively(stateDir);
        }
        return score(data, alertsBySubject, payments.size(), deadLetters,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Per type: recall = patterns whose hub (a cycle: any member) was flagged / patterns; precision = flagged
     * hubs of that type / (those + flagged accounts that are the hub of no pattern at all). The target row
     * (fan_in + gather_scatter) counts every flagged account that is not one of their hubs against precision.
     */
    static Result score(AmlsimDataset data, Map<String, List<FundFlowAlert>> alertsBySubject, int payments,
            int deadLetters, long millis) {
        Set<String> flagged = alertsBySubject.keySet();
        Set<String> anyHub = new HashSet<>();
        data.patterns().forEach(p -> anyHub.addAll(p.hubs()));
        Set<String> falsePositives = new java.util.TreeSet<>(flagged);
        falsePositives.removeAll(anyHub);
        Map<String, Score> byType = new LinkedHashMap<>();
        for (String type : TYPES) {
            byType.put(type, scoreOf(type, data.patterns().stream().filter(p -> p.type().equals(type)).toList(),
                    alertsBySubject, falsePositives.size()));
        }
        List<AmlsimDataset.Pattern> targets = data.patterns().stream()
                .filter(p -> p.type().equals("fan_in") || p.type().equals("gather_scatter")).toList();
        Set<String> targetHubs = new HashSet<>();
        targets.forEach(p -> targetHubs.addAll(p.hubs()));
        int notTarget = (int) flagged.stream().filter(a -> !targetHubs.contains(a)).count();
        Score target = scoreOf("fan_in+gather_scatter", targets, alertsBySubject, notTarget);
        int alertIds = (int) alertsBySubject.values().stream().flatMap(List::stream)
                .map(FundFlowAlert::getAlertId).distinct().count();
        int revisions = alertsBySubject.values().stream().mapToInt(List::size).sum();
        int distinctRevisions = (int) alertsBySubject.values().stream().flatMap(List::stream)
                .map(a -> a.getAlertId() + "#" + a.getRevision()).distinct().count();
        return new Result(payments, flagged.size(), alertIds, revisions, revisions - distinctRevisions, deadLetters,
                byType, target,
                falsePositives, millis);
    }

    private static Score scoreOf(String type, List<AmlsimDataset.Pattern> patterns,
            Map<String, List<FundFlowAlert>> alertsBySubject, int falsePositives) {
        int found = (int) patterns.stream()
                .filter(p -> p.hubs().stream().anyMatch(alertsBySubject::containsKey)).count();
        Set<String> hubs = new HashSet<>();
        patterns.forEach(p -> hubs.addAll(p.hubs()));
        hubs.retainAll(alertsBySubject.keySet());
        int alerts = (int) hubs.stream().flatMap(h -> alertsBySubject.get(h).stream())
                .map(FundFlowAlert::getAlertId).distinct().count();
        double precision = hubs.size() + falsePositives == 0 ? 0 : hubs.size() / (double) (hubs.size() + falsePositives);
        double recall = patterns.isEmpty() ? 0 : found / (double) patterns.size();
        return new Score(type, patterns.size(), found, hubs.size(), falsePositives, alerts, precision, recall);
    }

    private static void deleteRecursively(java.nio.file.Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
