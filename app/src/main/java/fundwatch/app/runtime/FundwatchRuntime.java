package fundwatch.app.runtime;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.http.HttpApi;
import fundwatch.app.http.HttpSettings;
import fundwatch.app.http.PlatformQueries;
import org.apache.kafka.streams.state.HostInfo;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.ingest.DeadLetterHandler;
import fundwatch.topology.registry.RegistryVersions;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.unreconciled.ReconciliationProcessor;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.TopicConfig;
import fundwatch.topology.registry.RegistryView;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running fundwatch instance: topics checked, the topology started under exactly-once, HTTP serving health
 * and metrics. Used by {@code run} and {@code demo} alike.
 */
public final class FundwatchRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FundwatchRuntime.class);

    private final FundwatchConfig config;
    private final SchemaRegistryClient registry;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpApi http;
    private PlatformRiskGauges riskGauges;
    private RuleAudit ruleAudit;

    public FundwatchRuntime(FundwatchConfig config, SchemaRegistryClient registry) {
        this.config = config;
        this.registry = registry;
    }

    public void start() throws InterruptedException, IOException {
        // What this instance runs with, and where each value came from: the first thing to read in an incident.
        StringBuilder effective = new StringBuilder("effective configuration (secrets masked):");
        config.describe().forEach((k, v) -> effective.append("\n  ").append(k).append(" = ").append(v));
        LOG.info(effective.toString());
        // Tokens and key stores first: a bad file stops the start before anything is created or joined.
        HttpSettings httpSettings = config.httpSettings();
        TopicNames names = config.topicNames();
        Properties props = config.streamsProperties();
        try (Admin admin = Admin.create(adminProperties(props))) {
            TopicSetup.requireInputs(admin, names);
            // D3b waits after a start until the upstream partitions of both money inputs have shown themselves.
            Map<String, Integer> partitions = TopicSetup.partitionCounts(admin,
                    List.of(names.custodyTransactions(), names.clearingPayments()));
            props.putIfAbsent(ReconciliationProcessor.CUSTODY_CHANNELS_CONFIG,
                    String.valueOf(partitions.get(names.custodyTransactions())));
            props.putIfAbsent(ReconciliationProcessor.CLEARING_CHANNELS_CONFIG,
                    String.valueOf(partitions.get(names.clearingPayments())));
            // Records keep their event time as Kafka timestamp on every topic fundwatch writes. An event that
            // validation accepts (up to max.future.skew ahead) must not be refused there by the broker's default
            // log.message.timestamp.after.max.ms (1 h since Kafka 4.0): the stream thread would die on it, and on it
            // again after every replacement. Internal topics get it from the topic. prefix, fundwatch's own here.
            String acceptAhead = String.valueOf(config.topologySettings().maxFutureSkew().plusHours(1).toMillis());
            props.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG),
                    acceptAhead);
            TopicSetup.createOwnTopics(admin, names, config.topicPartitions(), replicationFactor(props),
                    config.alertRetention(), config.deadLetterRetention(), acceptAhead);
            if (config.topologySettings().lookThrough()) {
                int clearing = partitions.get(names.clearingPayments());
                TopicSetup.createTraceCredits(admin, names, clearing, replicationFactor(props), acceptAhead);
                int existing = TopicSetup.partitionCounts(admin, List.of(names.traceCredits()))
                        .get(names.traceCredits());
                if (existing != clearing) {
                    throw new IllegalStateException(names.traceCredits() + " has " + existing + " partitions but "
                            + names.clearingPayments() + " has " + clearing + ": they must match (see docs/operations.md)");
                }
            }
            TopicSetup.checkRetention(admin, Map.of(names.alerts(), config.alertRetention(),
                    names.deadLetters(), config.deadLetterRetention())).forEach(LOG::warn);
        }
        FundwatchMetrics metrics = new FundwatchMetrics(meters);
        Topology topology = FundwatchTopology.build(TopicCatalog.create(names, registry), config.topologySettings(),
                metrics);
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.DLQ_TOPIC_CONFIG, names.deadLetters());
        props.put(FundwatchMetrics.CONFIG_KEY, metrics);
        props.put(RegistryVersions.CONFIG_KEY, new RegistryVersions());

        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);

        streams = new KafkaStreams(topology, props);
        // A failed thread is replaced: bad records never reach here (they are dead-lettered), so what does is
        // transient — a registry outage, a broker hiccup — and the replacement retries from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        Object server = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        HostInfo self = server == null || server.toString().isBlank() ? null : HostInfo.buildFromEndpoint(server.toString());
        http = HttpApi.start(httpSettings, streams, meters, new PlatformQueries(streams, self, httpSettings));
        riskGauges = new PlatformRiskGauges(streams, meters);
        streams.start();
        riskGauges.start();
        ruleAudit = new RuleAudit(props, names.validated(names.rules()));
        Thread audit = new Thread(ruleAudit, "fundwatch-rule-audit");
        audit.setDaemon(true);
        audit.start();
        LOG.info("fundwatch started: application.id={} http={}://{} auth={}",
                props.get(StreamsConfig.APPLICATION_ID_CONFIG), httpSettings.tls() ? "https" : "http", http.address(),
                httpSettings.tokens() == null ? "off" : "bearer tokens (open: " + httpSettings.openPaths() + ")");
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Kafka Streams' own client metrics (the bench reads its producers' records sent per topic). */
    public Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> streamsMetrics() {
        return streams == null ? Map.of() : streams.metrics();
    }

    /**
     * Whether this instance's copy of the account registry (a global store, the same in every instance) holds the
     * account: a producer that publishes registry and money together waits on it, so no payment overtakes the
     * registration of the account it pays into.
     */
    public boolean knowsAccount(String accountId) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(RegistryView.ACCOUNTS_STORE,
                    QueryableStoreTypes.<String, Object>keyValueStore())).get(accountId) != null;
        } catch (InvalidStateStoreException notYet) {
            return false;
        }
    }

    public int httpPort() {
        return http.address().getPort();
    }

    @Override
    public void close() {
        if (ruleAudit != null) {
            ruleAudit.close();
        }
        if (riskGauges != null) {
            riskGauges.close();
        }
        if (streams != null) {
            // Closing commits the open transaction; the thread finishes its current record first.
            streams.close(Duration.ofSeconds(25));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (http != null) {
            http.stop();
        }
    }

    private static Properties adminProperties(Properties streamsProps) {
        Properties p = new Properties();
        for (String key : AdminClientConfig.configNames()) {
            if (streamsProps.containsKey(key)) {
                p.put(key, streamsProps.get(key));
            }
        }
        streamsProps.forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                p.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), v);
            }
        });
        return p;
    }

    private static short replicationFactor(Properties props) {
        Object rf = props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        return rf == null ? (short) -1 : Short.parseShort(rf.toString());
    }

    /** For tests and the demo: the effective config. */
    public Map<String, String> describeConfig() {
        return config.describe();
    }
}
