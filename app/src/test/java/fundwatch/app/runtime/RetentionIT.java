package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert raised while a 400-day-old backlog replays must survive the broker's retention: fundwatch creates the
 * alert topic with its own retention.ms (365 days by default) and timestamps alert records at emission, so the
 * retention check, run every half second here, finds nothing old to delete on it.
 */
@Timeout(240)
class RetentionIT {
    @TempDir
    Path work;

    @Test
    void shouldKeepAnAlertFromA400DayOldBacklogThroughTheRetentionCheck() throws Exception {
        Instant backlog = Instant.now().minus(Duration.ofDays(400));
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().workDir(work.resolve("kafka"))
                .brokerProperty("log.retention.check.interval.ms", "500").build().start();
                LocalSchemaRegistry registryProcess = LocalSchemaRegistry.builder()
                        .workDir(work.resolve("registry")).build().start();
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            String bootstrap = broker.bootstrapServers();
            SchemaRegistryClient registry = RestSchemaRegistryClient.fromConfig(
                    Map.of("schema.registry.url", registryProcess.url()));
            TopicSetup.createInputs(admin, ItSupport.NAMES, 2, (short) 1);
            long started = System.currentTimeMillis();
            try (FundwatchRuntime runtime = new FundwatchRuntime(ItSupport.config(bootstrap, registryProcess.url(),
                    "fundwatch-retention-it", work.resolve("state"), 0), registry)) {
                runtime.start();
                assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)), "fundwatch reached RUNNING");

                // Then the topics fundwatch created carry the configured retention, not the broker's 7 days.
                assertEquals(String.valueOf(Duration.ofDays(365).toMillis()), retentionMs(admin, ItSupport.NAMES.alerts()));
                assertEquals(String.valueOf(Duration.ofDays(30).toMillis()),
                        retentionMs(admin, ItSupport.NAMES.deadLetters()));

                // Given a platform with a general account, and a bypass payment 400 days old: a replayed backlog.
                ItSupport.registerPlatformWithGeneralAccount(bootstrap, registry, "P-OLD", "GEN-OLD", "110000");
                ItSupport.awaitRegistered(runtime.httpPort(), "P-OLD", "GEN-OLD");
                try (KafkaProducer<String, byte[]> p = ItSupport.producer(bootstrap)) {
                    p.send(new ProducerRecord<>(ItSupport.NAMES.clearingPayments(), "CARD-OLD",
                            ItSupport.encode(registry, ItSupport.NAMES.clearingPayments(),
                                    ItSupport.bypass("PAY-OLD-1", "CARD-OLD", "GEN-OLD", 50_000_000, backlog))));
                }
                List<ConsumerRecord<String, FundFlowAlert>> alerts = awaitAlerts(bootstrap, registry);

                // When the broker's retention check runs: proven by a control record of the same age, on a topic
                // with the broker's usual 7 days, being deleted.
                String probe = "retention-probe";
                admin.createTopics(List.of(new NewTopic(probe, 1, (short) 1).configs(
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis())))))
                        .all().get();
                try (KafkaProducer<String, byte[]> p = ItSupport.producer(bootstrap)) {
                    p.send(new ProducerRecord<>(probe, 0, backlog.toEpochMilli(), "old", new byte[] {1})).get();
                }
                ItSupport.await(() -> earliestOffset(admin, probe) > 0, Duration.ofSeconds(60));
                // (The start-up check would have warned about a topic like the probe, and not about the alerts.)
                List<String> warnings = TopicSetup.checkRetention(admin, Map.of(probe, Duration.ofDays(365),
                        ItSupport.NAMES.alerts(), Duration.ofDays(365)));
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).startsWith("topic " + probe + " keeps records for PT168H"), warnings.get(0));

                // Then the alert is still there, timestamped at emission (= detectedAt), its event time in the value.
                List<ConsumerRecord<String, FundFlowAlert>> after = awaitAlerts(bootstrap, registry);
                assertEquals(alerts.size(), after.size(), "no alert deleted by retention");
                ConsumerRecord<String, FundFlowAlert> r = after.get(0);
                FundFlowAlert a = r.value();
                assertEquals("CUSTODY_BYPASS", a.getDetector());
                assertEquals(a.getDetectedAt().toEpochMilli(), r.timestamp(), "record timestamp is the emission time");
                assertTrue(r.timestamp() >= started, "emitted during this test, not 400 days ago");
                assertEquals(backlog.toEpochMilli(), a.getLastEventTime().toEpochMilli(), "event time in the value");
                assertEquals(0L, earliestOffset(admin, ItSupport.NAMES.alerts()), "nothing deleted from the alert topic");
            }
        }
    }

    private static List<ConsumerRecord<String, FundFlowAlert>> awaitAlerts(String bootstrap,
            SchemaRegistryClient registry) throws Exception {
        List<ConsumerRecord<String, FundFlowAlert>> found = new java.util.ArrayList<>();
        ItSupport.await(() -> {
            found.clear();
            found.addAll(ItSupport.read(bootstrap, ItSupport.NAMES.alerts(), new StringDeserializer(),
                    AvroSerdes.forType(FundFlowAlert.class, registry).deserializer()));
            return !found.isEmpty();
        }, Duration.ofSeconds(60));
        return found;
    }

    private static String retentionMs(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value();
    }

    /** The highest earliest offset over the topic's partitions: above 0 once retention deleted something. */
    private static long earliestOffset(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int i = 0; i < partitions; i++) {
            request.put(new TopicPartition(topic, i), OffsetSpec.earliest());
        }
        return admin.listOffsets(request).all().get().values().stream()
                .mapToLong(o -> o.offset()).max().orElse(0);
    }
}
