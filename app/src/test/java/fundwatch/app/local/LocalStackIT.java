package fundwatch.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local stack that {@code demo} and the other integration tests stand on: a real KRaft broker and a
 * real Apicurio registry, each a child process. One of each for the whole class (starting them is the
 * expensive part); every test uses its own topic or subject.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES) // covers @BeforeAll: both child JVMs start there
class LocalStackIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SCHEMA_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape of a contract record, small: a string id and a money amount. */
    private static final String PROBE_V1 = "{\"type\":\"record\",\"name\":\"LocalStackProbe\","
            + "\"namespace\":\"fundwatch.avro.it\",\"fields\":["
            + "{\"name\":\"eventId\",\"type\":\"string\"},"
            + "{\"name\":\"amountMinor\",\"type\":\"long\"}]}";
    /** V1 plus a nullable field with default null: what CONTRACT.md allows as a later addition (BACKWARD). */
    private static final String PROBE_V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"LocalStackProbe\","
            + "\"namespace\":\"fundwatch.avro.it\",\"fields\":["
            + "{\"name\":\"eventId\",\"type\":\"string\"},"
            + "{\"name\":\"amountMinor\",\"type\":\"long\"},"
            + "{\"name\":\"productId\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    /** V1 plus a required field without default: new readers cannot read old data, so not BACKWARD. */
    private static final String PROBE_V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"LocalStackProbe\","
            + "\"namespace\":\"fundwatch.avro.it\",\"fields\":["
            + "{\"name\":\"eventId\",\"type\":\"string\"},"
            + "{\"name\":\"amountMinor\",\"type\":\"long\"},"
            + "{\"name\":\"currency\",\"type\":\"string\"}]}";

    private static LocalKafkaBroker broker;
    private static LocalSchemaRegistry registry;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStack() {
        broker = LocalKafkaBroker.builder().build().start();
        registry = LocalSchemaRegistry.builder().build().start(); // both log their startup time
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumer() throws Exception {
        // Given a topic with several partitions (one key, so all records land on one partition, in order)
        String topic = createTopic("it.transactions", 3);

        // When a transactional producer commits two records, aborts one, then commits a last one
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "platform-1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "platform-1", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "platform-1", "aborted")); // must never be seen
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "platform-1", "committed-last")); // marks the end
            producer.commitTransaction();
        }

        // Then a read_committed consumer sees exactly the committed records, in order
        List<String> values = readValuesUntil(topic, "committed-last");
        assertEquals(List.of("committed-1", "committed-2", "committed-last"), values);
    }

    @Test
    void shouldKeepCommittedRecordsWhenBrokerIsKilledAndRestarted() throws Exception {
        // Given a committed record on the broker
        String topic = createTopic("it.crash", 1);
        String bootstrapBefore = broker.bootstrapServers();
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "platform-1", "before-crash"));
            producer.commitTransaction();
        }
        // ... whose commit marker is on disk: commitTransaction() returns once the coordinator has logged the commit,
        // the markers follow asynchronously, and this test is about the data, not the coordinator's recovery timing
        assertEquals(List.of("before-crash"), readValuesUntil(topic, "before-crash"));

        // When the broker process is killed (no controlled shutdown) and started again on the same data
        broker.kill();
        assertFalse(broker.isRunning());
        broker.restart();

        // Then it is back on the same address and still has the record
        assertTrue(broker.isRunning());
        assertEquals(bootstrapBefore, broker.bootstrapServers());
        assertEquals(List.of("before-crash"), readValuesUntil(topic, "before-crash"));
    }

    @Test
    void shouldGiveOneIdPerSchemaAndResolveItById() throws Exception {
        String subject = "it.schemas." + UUID.randomUUID() + "-value";
        String otherSubject = "it.schemas." + UUID.randomUUID() + "-value";

        // Given a schema registered under a subject
        int id = register(subject, PROBE_V1).path("id").asInt(-1);
        assertTrue(id >= 0, "registration returned an id");

        // Then registering it again, reformatted, or under another subject returns the same id (Confluent semantics)
        assertEquals(id, register(subject, PROBE_V1).path("id").asInt());
        String reformatted = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(PROBE_V1));
        assertEquals(id, register(subject, reformatted).path("id").asInt(), "canonical-hash mode is on");
        assertEquals(id, register(otherSubject, PROBE_V1).path("id").asInt(), "content ids, not legacy global ids");
        assertEquals(List.of(1), versions(subject));

        // And the id resolves to the same Avro schema, as a deserializer reading the wire format would ask
        HttpResponse<String> byId = get("/schemas/ids/" + id);
        assertEquals(200, byId.statusCode(), byId.body());
        Schema fetched = new Schema.Parser().parse(JSON.readTree(byId.body()).path("schema").asText());
        assertEquals(new Schema.Parser().parse(PROBE_V1), fetched);
    }

    @Test
    void shouldEnforceBackwardCompatibilityConfiguredForSubject() throws Exception {
        // Given a subject with version 1 and BACKWARD compatibility
        String subject = "it.compat." + UUID.randomUUID() + "-value";
        int v1 = register(subject, PROBE_V1).path("id").asInt();
        HttpResponse<String> put = send("PUT", "/config/" + subject, Map.of("compatibility", "BACKWARD"));
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("BACKWARD", JSON.readTree(get("/config/" + subject).body()).path("compatibilityLevel").asText());

        // Then a field added with a default is compatible, a required field without one is not
        assertTrue(isCompatibleWithLatest(subject, PROBE_V2_WITH_DEFAULT));
        assertFalse(isCompatibleWithLatest(subject, PROBE_V2_WITHOUT_DEFAULT));

        // And registration follows the same rule: the incompatible schema is refused with 409
        HttpResponse<String> refused = send("POST", "/subjects/" + subject + "/versions",
                Map.of("schema", PROBE_V2_WITHOUT_DEFAULT));
        assertEquals(409, refused.statusCode(), refused.body());
        int v2 = register(subject, PROBE_V2_WITH_DEFAULT).path("id").asInt();
        assertNotEquals(v1, v2);
        assertEquals(List.of(1, 2), versions(subject));
    }

    private static String createTopic(String prefix, int partitions) throws Exception {
        String topic = prefix + "." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return topic;
    }

    private static KafkaProducer<String, String> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis()),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Polls every partition from the beginning with read_committed until {@code lastValue} arrives or the deadline passes.
     * Assigned, not subscribed: no consumer group, so a freshly restarted broker's group coordinator is not involved.
     */
    private static List<String> readValuesUntil(String topic, String lastValue) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(consumer.partitionsFor(topic, WAIT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!values.contains(lastValue)) {
                assertTrue(System.nanoTime() < deadline,
                        "'" + lastValue + "' not read from " + topic + " within " + WAIT + "; got " + values);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static JsonNode register(String subject, String schema) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/subjects/" + subject + "/versions", Map.of("schema", schema));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static boolean isCompatibleWithLatest(String subject, String schema) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/compatibility/subjects/" + subject + "/versions/latest",
                Map.of("schema", schema));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body()).path("is_compatible");
        assertTrue(answer.isBoolean(), "is_compatible in " + response.body());
        return answer.booleanValue();
    }

    private static List<Integer> versions(String subject) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/subjects/" + subject + "/versions");
        assertEquals(200, response.statusCode(), response.body());
        List<Integer> versions = new ArrayList<>();
        JSON.readTree(response.body()).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", SCHEMA_JSON).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, Object body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", SCHEMA_JSON).header("Accept", SCHEMA_JSON)
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
