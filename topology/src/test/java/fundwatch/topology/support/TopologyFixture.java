package fundwatch.topology.support;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.Product;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.ingest.DeadLetterHandler;
import fundwatch.topology.registry.RegistryVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology in a TopologyTestDriver with an in-memory schema registry: input topics typed through the
 * contract serdes, the DLQ as raw bytes, a wall clock the test controls.
 */
public final class TopologyFixture implements AutoCloseable {
    public static final Instant CLOCK = Instant.parse("2026-11-28T02:00:00Z");

    public final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    public final TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), registry);
    public final FundwatchMetrics metrics = FundwatchMetrics.detached();
    public final Topology topology = FundwatchTopology.build(topics, TopologySettings.defaults(), metrics);
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, CustodyTransaction> custody;
    public final TestInputTopic<String, ClearingPayment> clearing;
    public final TestInputTopic<String, Platform> platforms;
    public final TestInputTopic<String, AccountRegistration> accounts;
    public final TestInputTopic<String, DetectorRule> rules;
    public final TestInputTopic<String, Product> products;
    public final TestInputTopic<String, BenchmarkRate> rates;
    public final TestInputTopic<byte[], byte[]> rawClearing;
    public final TestOutputTopic<String, FundFlowAlert> alerts;
    public final TestOutputTopic<byte[], byte[]> deadLetters;

    public TopologyFixture() {
        this(java.util.Map.of());
    }

    /** @param extraProperties added to the driver's configuration (e.g. the runtime's input partition counts) */
    public TopologyFixture(java.util.Map<String, ?> extraProperties) {
        Properties props = properties(metrics);
        props.putAll(extraProperties);
        driver = new TopologyTestDriver(topology, props, CLOCK);
        StringSerializer keys = new StringSerializer();
        custody = driver.createInputTopic(topics.custodyTransactions().name(), keys,
                topics.custodyTransactions().valueSerde().serializer());
        clearing = driver.createInputTopic(topics.clearingPayments().name(), keys,
                topics.clearingPayments().valueSerde().serializer());
        platforms = driver.createInputTopic(topics.platforms().name(), keys, topics.platforms().valueSerde().serializer());
        accounts = driver.createInputTopic(topics.accounts().name(), keys, topics.accounts().valueSerde().serializer());
        rules = driver.createInputTopic(topics.rules().name(), keys, topics.rules().valueSerde().serializer());
        products = driver.createInputTopic(topics.products().name(), keys, topics.products().valueSerde().serializer());
        rates = driver.createInputTopic(topics.rates().name(), keys, topics.rates().valueSerde().serializer());
        rawClearing = driver.createInputTopic(topics.clearingPayments().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    public static Properties properties(FundwatchMetrics metrics) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fundwatch-test");
        // Its own state directory: test JVMs running side by side (forks, worktrees) must not share RocksDB locks.
        try {
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("fundwatch-ttd-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // TopologyTestDriver loses dead letters returned by the deserialization handler under exactly_once_v2
        // (its mock producer has no open transaction when a record fails to decode); the real-broker IT checks
        // the same path under exactly-once.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(DeadLetterHandler.DLQ_TOPIC_CONFIG, "fundwatch.dlq");
        p.put(FundwatchMetrics.CONFIG_KEY, metrics);
        p.put(RegistryVersions.CONFIG_KEY, new RegistryVersions());
        return p;
    }

    /** Registry records first, as the registry is in place before money moves. */
    public void register(Platform platform, AccountRegistration... accountRegistrations) {
        platforms.pipeInput(platform.getPlatformId(), platform, platform.getRegisteredAt());
        for (AccountRegistration a : accountRegistrations) {
            accounts.pipeInput(a.getAccountId(), a, CLOCK);
        }
    }

    public void issue(Product p) {
        products.pipeInput(p.getProductId(), p, p.getIssuedAt());
    }

    public void setRate(BenchmarkRate r) {
        rates.pipeInput(r.getRateId(), r, r.getEffectiveFrom());
    }

    public void pay(ClearingPayment p) {
        clearing.pipeInput(p.getPayerAccountId(), p, p.getEventTime());
    }

    public void post(CustodyTransaction tx) {
        custody.pipeInput(tx.getPlatformId(), tx, tx.getEventTime());
    }

    public List<FundFlowAlert> alerts() {
        return alerts.readValuesToList();
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
