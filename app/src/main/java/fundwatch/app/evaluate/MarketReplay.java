package fundwatch.app.evaluate;

import fundwatch.app.progress.Progress;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.simulator.SimEvent;
import fundwatch.simulator.TopicRole;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.ingest.DeadLetterHandler;
import fundwatch.topology.registry.RegistryVersions;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays a simulated market through the real topology in a TopologyTestDriver — the same builder, serdes and
 * stores as {@code run}, synchronously — with the driver's wall clock following the events' time, so a market
 * set in any period passes validation. Deterministic, broker-free; for markets of modest size (the driver
 * processes about a thousand events a second here). Large markets go through a broker: simulate + run +
 * {@code evaluate --alerts-from-topic}.
 */
public final class MarketReplay {
    private static final Duration WALL_CLOCK_STEP = Duration.ofMinutes(1);

    private MarketReplay() {
    }

    public record Result(List<FundFlowAlert> alerts, long events, int deadLetters, long millis) {
    }

    public static Result run(Iterator<SimEvent> market, Instant start, List<SimEvent> extraFirst) throws Exception {
        return run(market, start, extraFirst, Progress.none());
    }

    /** As {@link #run(Iterator, Instant, List)}, counting each event replayed on {@code progress}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Result run(Iterator<SimEvent> market, Instant start, List<SimEvent> extraFirst, Progress progress)
            throws Exception {
        long started = System.nanoTime();
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), registry);
        FundwatchMetrics metrics = FundwatchMetrics.detached();
        Path stateDir = Files.createTempDirectory("fundwatch-market-replay");
        List<FundFlowAlert> alerts = new ArrayList<>();
        long events = 0;
        int deadLetters = 0;
        Map<String, TestOutputTopic<byte[], byte[]>> drains = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                FundwatchTopology.build(topics, TopologySettings.defaults().withStateInMemory(), metrics),
                properties(metrics, stateDir), start)) {
            Map<TopicRole, TestInputTopic<String, SpecificRecord>> inputs = new EnumMap<>(TopicRole.class);
            StringSerializer keys = new StringSerializer();
            for (TopicRole role : TopicRole.values()) {
                Serializer<SpecificRecord> values = (Serializer) serdeFor(topics, role).serializer();
                inputs.put(role, driver.createInputTopic(topicFor(topics, role), keys, values));
            }
            TestOutputTopic<String, FundFlowAlert> out = driver.createOutputTopic(topics.alerts().name(),
                    new StringDeserializer(), topics.alerts().valueSerde().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(topics.deadLetters().name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            Instant wall = start;
            Iterator<SimEvent> all = concat(extraFirst.iterator(), market);
            while (all.hasNext()) {
                SimEvent e = all.next();
                Instant at = Instant.ofEpochMilli(e.eventTimeMillis());
                // Each advance is a commit of every task in the driver: follow event time in minute steps, not per
                // event. Validation allows a day of skew; an alert's detectedAt is then exact to the minute.
                if (at.isAfter(wall.plus(WALL_CLOCK_STEP))) {
                    driver.advanceWallClockTime(Duration.between(wall, at));
                    wall = at;
                }
                inputs.get(e.role()).pipeInput(e.key(), e.value(), at);
                events++;
                if ((events & 0x3FF) == 0) {
                    progress.stepTo(events);
                    alerts.addAll(out.readValuesToList());
                    if (driver.producedTopicNames().contains(topics.deadLetters().name())) {
                        // (asked before anything was written, the driver logs a warning on every call)
                        deadLetters += dlq.readRecordsToList().size();
                    }
                    discardOtherOutputs(driver, drains, topics);
                }
            }
            alerts.addAll(out.readValuesToList());
            deadLetters += dlq.readRecordsToList().size();
            progress.stepTo(events);
        } finally {
            try (var walk = Files.walk(stateDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return new Result(alerts, events, deadLetters, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The driver keeps every record written to a topic nobody reads — changelogs, the registry copies, the profile
     * topics — for the whole run: a market of months fills any heap. What is not an alert or a dead letter goes.
     */
    private static void discardOtherOutputs(TopologyTestDriver driver, Map<String, TestOutputTopic<byte[], byte[]>> drains,
            TopicCatalog topics) {
        for (String topic : driver.producedTopicNames()) {
            if (topic.equals(topics.alerts().name()) || topic.equals(topics.deadLetters().name())) {
                continue;
            }
            drains.computeIfAbsent(topic, t -> driver.createOutputTopic(t, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())).readRecordsToList();
        }
    }

    private static <T> Iterator<T> concat(Iterator<T> first, Iterator<T> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }

    private static String topicFor(TopicCatalog t, TopicRole role) {
        return switch (role) {
            case CUSTODY -> t.custodyTransactions().name();
            case CLEARING -> t.clearingPayments().name();
            case PLATFORMS -> t.platforms().name();
            case ACCOUNTS -> t.accounts().name();
            case PRODUCTS -> t.products().name();
            case RATES -> t.rates().name();
            case RULES -> t.rules().name();
        };
    }

    private static org.apache.kafka.common.serialization.Serde<?> serdeFor(TopicCatalog t, TopicRole role) {
        return switch (role) {
            case CUSTODY -> t.custodyTransactions().valueSerde();
            case CLEARING -> t.clearingPayments().valueSerde();
            case PLATFORMS -> t.platforms().valueSerde();
            case ACCOUNTS -> t.accounts().valueSerde();
            case PRODUCTS -> t.products().valueSerde();
            case RATES -> t.rates().valueSerde();
            case RULES -> t.rules().valueSerde();
        };
    }

    static Properties properties(FundwatchMetrics metrics, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fundwatch-evaluate");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The driver's mock producer has no transactions; the guarantee does not change what is detected.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // The driver delivers one record at a time and processes it at once: there is no other partition to wait
        // for, and the idling check builds a log message per record (a sixth of a replay's time in a profile).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(DeadLetterHandler.DLQ_TOPIC_CONFIG, "fundwatch.dlq");
        p.put(FundwatchMetrics.CONFIG_KEY, metrics);
        p.put(RegistryVersions.CONFIG_KEY, new RegistryVersions());
        return p;
    }
}
