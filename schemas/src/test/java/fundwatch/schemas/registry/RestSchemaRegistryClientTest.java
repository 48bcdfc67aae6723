package fundwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final String SUBJECT = "custody.transactions-value";
    private static final Schema SCHEMA = CustodyTransaction.getClassSchema();
    private static final String VERSIONS = "/subjects/" + SUBJECT + "/versions";

    private FakeConfluentRegistry registry;

    @BeforeEach
    void startRegistry() {
        registry = FakeConfluentRegistry.start("");
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    /** Fast backoff so retry tests take milliseconds. */
    private static RestSchemaRegistryClient.Builder client(String... urls) {
        return RestSchemaRegistryClient.builder(urls).backoff(Duration.ofMillis(1), Duration.ofMillis(4));
    }

    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort(); // closed again: connection refused
        }
    }

    @Test
    void shouldRegisterAndFetchThroughAnApicurioStyleBaseUrl() throws IOException {
        // Given a registry whose Confluent API lives below /apis/ccompat/v7, as Apicurio's does
        try (FakeConfluentRegistry apicurio = FakeConfluentRegistry.start("/apis/ccompat/v7")) {
            RestSchemaRegistryClient producer = client(apicurio.url() + "/").build();
            RestSchemaRegistryClient consumer = client(apicurio.url()).build();

            // When one client registers and another, with an empty cache, fetches by id
            int id = producer.register(SUBJECT, SCHEMA);
            Schema fetched = consumer.schemaById(id);

            // Then
            assertEquals(1, id);
            assertEquals(SCHEMA, fetched);
            FakeConfluentRegistry.Request post = apicurio.requests().get(0);
            assertEquals("POST", post.method());
            assertEquals(VERSIONS, post.path());
            assertEquals("application/vnd.schemaregistry.v1+json", post.header("Content-Type"));
            assertTrue(post.header("Accept").startsWith("application/vnd.schemaregistry.v1+json"));
            assertEquals(SCHEMA.toString(), new ObjectMapper().readTree(post.body()).get("schema").asText());
            assertEquals(1, apicurio.count("GET", "/schemas/ids/1"));
        }
    }

    @Test
    void shouldAnswerRepeatedCallsFromItsCache() {
        // Given three clients, each with its own cache
        RestSchemaRegistryClient producer = client(registry.url()).build();
        RestSchemaRegistryClient checker = client(registry.url()).build();
        RestSchemaRegistryClient consumer = client(registry.url()).build();

        // When each asks the same thing three times
        for (int i = 0; i < 3; i++) {
            producer.register(SUBJECT, SCHEMA);
            producer.lookupId(SUBJECT, SCHEMA); // known from register: no request
            producer.schemaById(1);             // known from register: no request
        }
        for (int i = 0; i < 3; i++) {
            checker.lookupId(SUBJECT, SCHEMA);
        }
        for (int i = 0; i < 3; i++) {
            consumer.schemaById(1);
        }

        // Then the registry saw each question once
        assertEquals(1, registry.count("POST", VERSIONS));
        assertEquals(1, registry.count("POST", "/subjects/" + SUBJECT));
        assertEquals(1, registry.count("GET", "/schemas/ids/1"));
        assertEquals(3, registry.requests().size());
    }

    @Test
    void shouldRetryA503AndThenSucceed() {
        // Given a registry that fails once with 503, then recovers
        registry.failNext(503, 50003, "Error while forwarding the request to the master");
        RestSchemaRegistryClient client = client(registry.url()).build();

        // When
        int id = client.register(SUBJECT, SCHEMA);

        // Then the second attempt got the id
        assertEquals(1, id);
        assertEquals(2, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldRetryA429() {
        // Given a throttling registry
        registry.failNext(429, 42901, "Too many requests");
        registry.failNext(429, 42901, "Too many requests");

        // When / Then
        assertEquals(1, client(registry.url()).build().register(SUBJECT, SCHEMA));
        assertEquals(3, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsOnPersistent5xx() {
        // Given a registry that keeps failing
        registry.failAlways(500);
        RestSchemaRegistryClient client = client(registry.url()).maxAttempts(4).build();

        // When
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

        // Then
        assertEquals(500, e.status());
        assertEquals(50001, e.errorCode());
        assertTrue(e.isRetriable());
        assertEquals(4, registry.count("GET", "/schemas/ids/1"));
    }

    @Test
    void shouldNotRetryA422AndSurfaceItsErrorCode() {
        // Given a registry that rejects the schema as invalid
        registry.failNext(422, 42201, "Invalid schema");
        RestSchemaRegistryClient client = client(registry.url()).build();

        // When
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        // Then one request only, and the Confluent error body is parsed
        assertEquals(422, e.status());
        assertEquals(SchemaRegistryException.INVALID_SCHEMA, e.errorCode());
        assertTrue(e.getMessage().contains("Invalid schema"), e.getMessage());
        assertEquals(1, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldNotRetryA409IncompatibleSchema() {
        // Given the subject already holds an incompatible schema (a different record type)
        registry.backend().register(SUBJECT, ClearingPayment.getClassSchema());
        RestSchemaRegistryClient client = client(registry.url()).build();

        // When
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        // Then
        assertEquals(409, e.status());
        assertEquals(SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
        assertFalse(e.isRetriable());
        assertEquals(1, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldTakeTheIdOfTheSameSchemaWhenAConcurrentRegistrationWonTheRace() {
        // Given another instance has just registered the same schema, and the registry answers this one's
        // registration 409 "already exists" (Apicurio's Confluent API does when two creations race)
        int theirs = registry.backend().register(SUBJECT, SCHEMA);
        registry.failNext(409, 409, "An artifact with ID 'alerts.early-warning-value' already exists");
        RestSchemaRegistryClient client = client(registry.url()).build();

        // When this instance registers it, then it gets the id the subject holds, not an error
        assertEquals(theirs, client.register(SUBJECT, SCHEMA));
        assertEquals(1, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldReportANotFoundSchemaWith40403() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).build().schemaById(42));
        assertEquals(404, e.status());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, e.errorCode());
        assertEquals(1, registry.count("GET", "/schemas/ids/42"));
    }

    @Test
    void shouldSendTheBasicAuthHeader() {
        // Given a registry that requires credentials
        registry.requireBasicAuth("fundwatch:s3cr:et");
        RestSchemaRegistryClient client = client(registry.url()).basicAuth("fundwatch:s3cr:et").build();

        // When
        client.register(SUBJECT, SCHEMA);

        // Then
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString("fundwatch:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, registry.requests().get(0).header("Authorization"));
    }

    @Test
    void shouldNotRetryA401() {
        // Given a registry that requires credentials we don't send
        registry.requireBasicAuth("fundwatch:secret");

        // When
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).build().register(SUBJECT, SCHEMA));

        // Then
        assertEquals(401, e.status());
        assertEquals(1, registry.requests().size());
    }

    @Test
    void shouldTakeUserInfoFromTheUrlAndKeepItOutOfTheRequestLine() {
        // Given credentials embedded in the URL
        registry.requireBasicAuth("fundwatch:secret");
        String url = registry.url().replace("http://", "http://fundwatch:secret@");
        RestSchemaRegistryClient client = client(url).build();

        // When / Then
        assertEquals(1, client.register(SUBJECT, SCHEMA));
        assertEquals(List.of(URI.create(registry.url())), client.baseUrls());
    }

    @Test
    void shouldFailOverFromADeadFirstUrlToALiveSecondOne() throws IOException {
        // Given two registry URLs, the first of which refuses connections
        RestSchemaRegistryClient client = client(deadUrl(), registry.url()).maxAttempts(1).build();

        // When, even with a single attempt allowed
        int id = client.register(SUBJECT, SCHEMA);
        Schema other = client.schemaById(id);

        // Then both calls reached the live registry
        assertEquals(1, id);
        assertEquals(SCHEMA, other);
        assertEquals(1, registry.count("POST", VERSIONS));
    }

    @Test
    void shouldReportStatusMinusOneWhenNoUrlAnswers() throws IOException {
        // Given only dead URLs
        RestSchemaRegistryClient client = client(deadUrl(), deadUrl()).maxAttempts(3).build();

        // When
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

        // Then
        assertEquals(-1, e.status());
        assertEquals(-1, e.errorCode());
        assertTrue(e.isConnectionError());
    }

    @Test
    void shouldTreatAnUnknownSubjectAsCompatibleAndAskTheRegistryOtherwise() {
        // Given
        RestSchemaRegistryClient client = client(registry.url()).build();
        String compatibility = "/compatibility/subjects/" + SUBJECT + "/versions/latest";

        // When / Then: no subject yet (404 40401) means anything is compatible
        assertTrue(client.isCompatible(SUBJECT, SCHEMA));
        // With a version registered, the registry's BACKWARD verdict is returned
        client.register(SUBJECT, SCHEMA);
        assertTrue(client.isCompatible(SUBJECT, SCHEMA));
        assertFalse(client.isCompatible(SUBJECT, ClearingPayment.getClassSchema()));
        assertEquals(3, registry.count("POST", compatibility));
    }

    @Test
    void shouldSetTheSubjectCompatibilityLevel() throws IOException {
        // Given
        RestSchemaRegistryClient client = client(registry.url()).build();
        client.register(SUBJECT, SCHEMA);

        // When
        client.setCompatibility(SUBJECT, "NONE");

        // Then the registry now accepts an unrelated schema under the subject
        FakeConfluentRegistry.Request put = registry.requests().get(1);
        assertEquals("PUT", put.method());
        assertEquals("/config/" + SUBJECT, put.path());
        assertEquals("NONE", new ObjectMapper().readTree(put.body()).get("compatibility").asText());
        assertEquals(2, client.register(SUBJECT, ClearingPayment.getClassSchema()));
    }

    @Test
    void shouldRejectAnInvalidCompatibilityLevelWithoutRetry() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).build().setCompatibility(SUBJECT, "SIDEWAYS"));
        assertEquals(422, e.status());
        assertEquals(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, e.errorCode());
        assertEquals(1, registry.requests().size());
    }

    @Test
    void shouldBuildFromConfluentStyleConfig() throws IOException {
        // Given a whole Kafka-style config map, with failover URLs, auth and retry keys, plus unrelated keys
        registry.requireBasicAuth("svc-fundwatch:pw");
        Map<String, Object> config = Map.of(
                "schema.registry.url", deadUrl() + " , " + registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc-fundwatch:pw",
                "schema.registry.max.retries", "0",
                "retries.wait.ms", 1,
                "bootstrap.servers", "broker:9092");

        // When
        RestSchemaRegistryClient client = RestSchemaRegistryClient.fromConfig(config);

        // Then
        assertEquals(2, client.baseUrls().size());
        assertEquals(1, client.register(SUBJECT, SCHEMA));
    }

    @Test
    void shouldPreferThePrefixedUserInfoKey() {
        // Given both user-info keys
        registry.requireBasicAuth("right:pw");
        Map<String, Object> config = Map.of(
                "schema.registry.url", registry.url(),
                "schema.registry.basic.auth.user.info", "right:pw",
                "basic.auth.user.info", "wrong:pw");

        // When / Then
        assertEquals(1, RestSchemaRegistryClient.fromConfig(config).register(SUBJECT, SCHEMA));
    }

    @Test
    void shouldRefuseConfigWithoutUrlOrWithBadValues() {
        assertThrows(ConfigException.class, () -> RestSchemaRegistryClient.fromConfig(Map.of()));
        assertThrows(ConfigException.class, () -> RestSchemaRegistryClient.fromConfig(
                Map.of("schema.registry.url", registry.url(), "max.retries", "three")));
        assertThrows(ConfigException.class, () -> RestSchemaRegistryClient.fromConfig(
                Map.of("schema.registry.url", "registry:8081")));
        assertThrows(ConfigException.class, () -> RestSchemaRegistryClient.fromConfig(
                Map.of("schema.registry.url", registry.url(),
                        "schema.registry.ssl.truststore.location", "/nonexistent/truststore.p12")));
    }
}
