package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.topology.catalog.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fundwatch end to end on real parts: a KRaft broker and Apicurio's Confluent-compatible registry as child
 * processes, records produced in the Confluent wire format through the registry, alerts and dead letters read
 * back with read_committed consumers, as a case system would.
 */
@Timeout(240)
class FundwatchIT {
    @TempDir
    static Path work;
    static TestStack stack;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registryProcess;
    static SchemaRegistryClient registry;
    static FundwatchRuntime runtime;
    /** A second instance of the same application: the platform view's partitions are split between the two. */
    static FundwatchRuntime second;
    static int httpA;
    static int httpB;
    static final TopicNames NAMES = TopicNames.defaults();
    static final Instant NOW = Instant.now();

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 2);
        broker = stack.broker;
        registryProcess = stack.registryProcess;
        registry = stack.registry;
        httpA = freePort();
        httpB = freePort();
        runtime = new FundwatchRuntime(instanceConfig("a", httpA), registry);
        runtime.start();
        second = new FundwatchRuntime(instanceConfig("b", httpB), registry);
        second.start();
        assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)), "instance a reached RUNNING");
        assertTrue(second.awaitRunning(Duration.ofSeconds(90)), "instance b reached RUNNING");
    }

    static FundwatchConfig instanceConfig(String name, int httpPort) throws java.io.IOException {
        return FundwatchConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", registryProcess.url(),
                "application.id", "fundwatch-it",
                "application.server", "127.0.0.1:" + httpPort,
                "state.dir", Files.createDirectories(work.resolve("state-" + name)).toString(),
                "http.port", String.valueOf(httpPort),
                "http.bind.address", "127.0.0.1",
                "num.stream.threads", "1",
                "topics.partitions", "2"));
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (second != null) {
            second.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAlertOnCustodyBypassAndDeadLetterGarbageFromARealBrokerAndRegistry() throws Exception {
        // Given a P2P platform with a general account, registered through the real registry.
        Platform platform = Platform.newBuilder().setPlatformId("P-IT").setName("IT lending")
                .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setCustodianId("CB-1")
                .setStatus(PlatformStatus.ACTIVE).setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z"))
                .setRegionCode("310000").build();
        AccountRegistration general = AccountRegistration.newBuilder().setAccountId("GEN-IT").setBankId("B-1")
                .setPlatformId("P-IT").setPurpose(AccountPurpose.PLATFORM_GENERAL).build();
        ClearingPayment bypass = ClearingPayment.newBuilder().setPaymentId("PAY-IT-1").setClearingHouse("NUCC")
                .setPayerAccountId("CARD-IT").setPayerBankId("B-2").setPayerPartyId("pty-it")
                .setPayerPartyType(PartyType.INDIVIDUAL).setPayeeAccountId("GEN-IT").setPayeeBankId("B-1")
                .setPayeePartyType(PartyType.CORPORATE).setAmountMinor(12_345_600).setCurrency("CNY")
                .setEventTime(NOW).build();
        // Confluent framing with a schema id no registry has issued (0x7fffff07), then junk.
        byte[] garbage = "\u0000\u007f\u00ff\u00ff\u0007 not a payment".getBytes(StandardCharsets.ISO_8859_1);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(NAMES.platforms(), "P-IT",
                    AvroSerdes.forType(Platform.class, registry).serializer().serialize(NAMES.platforms(), platform)));
            producer.send(new ProducerRecord<>(NAMES.accounts(), "GEN-IT", AvroSerdes
                    .forType(AccountRegistration.class, registry).serializer().serialize(NAMES.accounts(), general)));
            producer.flush();
            // The registry reaches the global stores asynchronously; an accepted record in the validated copy is the
            // sign that it is loaded.
            ItSupport.await(() -> ItSupport.countRaw(broker.bootstrapServers(), NAMES.validated(NAMES.accounts()), r -> true) > 0, Duration.ofSeconds(60));
            ItSupport.awaitRegistered(httpA, "P-IT", "GEN-IT");
            ItSupport.awaitRegistered(httpB, "P-IT", "GEN-IT");
            // When: a garbage record (a schema id that does not exist) and a payment that bypasses custody.
            producer.send(new ProducerRecord<>(NAMES.clearingPayments(), "CARD-IT", garbage));
            producer.send(new ProducerRecord<>(NAMES.clearingPayments(), "CARD-IT", AvroSerdes
                    .forType(ClearingPayment.class, registry).serializer().serialize(NAMES.clearingPayments(), bypass)));
            producer.flush();
        }

        // Then the alert arrives, committed, with the payment as evidence.
        List<FundFlowAlert> alerts = new ArrayList<>();
        // (The other tests share the broker: only P-IT's alerts are this test's.)
        ItSupport.await(() -> {
            alerts.clear();
            ItSupport.readAlerts(broker.bootstrapServers(), registry).stream()
                    .filter(x -> "P-IT".equals(x.getPlatformId())).forEach(alerts::add);
            return !alerts.isEmpty();
        }, Duration.ofSeconds(60));
        FundFlowAlert a = alerts.get(0);
        assertEquals("CUSTODY_BYPASS", a.getDetector());
        assertEquals("P-IT", a.getSubjectId());
        assertEquals("310000", a.getRegionCode());
        assertEquals("PAY-IT-1", a.getEvidence().get(0).getEventId());
        assertEquals(12_345_600L, a.getEvidence().get(0).getAmountMinor());

        // And the garbage is in the DLQ unchanged, with its reason and origin.
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        ItSupport.await(() -> {
            dead.clear();
            dead.addAll(ItSupport.readRaw(broker.bootstrapServers(), NAMES.deadLetters()));
            return !dead.isEmpty();
        }, Duration.ofSeconds(30));
        ConsumerRecord<byte[], byte[]> d = dead.get(0);
        assertArrayEquals(garbage, d.value());
        assertTrue(ItSupport.header(d, "fundwatch.error").startsWith("unknown-schema-id"), ItSupport.header(d, "fundwatch.error"));
        assertEquals(NAMES.clearingPayments(), ItSupport.header(d, "fundwatch.source.topic"));

        // And the application kept running and reports it over HTTP, with the dead letter counted in /metrics.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpA + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        // The instance that owns the garbage's partition counted it; the other has no such series.
        String metrics = "";
        for (int port : new int[] {httpA, httpB}) {
            metrics += http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertTrue(metrics.contains(
                "fundwatch_dead_letters_total{reason=\"unknown-schema-id\",topic=\"clearing.payments\"} 1.0"),
                "dead letter counted");
        assertTrue(metrics.contains("kafka_stream"), "Kafka Streams client metrics are bound");
    }

    @Test
    void shouldAnswerPlatformAndAlertQueriesFromEitherInstance() throws Exception {
        // Given a bypass alert for P-Q (its profile lives on whichever instance owns its partition).
        Platform platform = Platform.newBuilder().setPlatformId("P-Q").setName("Query lending")
                .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).setRegionCode("440300").build();
        AccountRegistration general = AccountRegistration.newBuilder().setAccountId("GEN-Q").setBankId("B-1")
                .setPlatformId("P-Q").setPurpose(AccountPurpose.PLATFORM_GENERAL).build();
        ClearingPayment bypass = ClearingPayment.newBuilder().setPaymentId("PAY-Q-1").setClearingHouse("CNAPS")
                .setPayerAccountId("CARD-Q").setPayerBankId("B-2").setPayerPartyType(PartyType.INDIVIDUAL)
                .setPayeeAccountId("GEN-Q").setPayeeBankId("B-1").setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(30_000_000).setCurrency("CNY").setEventTime(NOW).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(NAMES.platforms(), "P-Q",
                    AvroSerdes.forType(Platform.class, registry).serializer().serialize(NAMES.platforms(), platform)));
            producer.send(new ProducerRecord<>(NAMES.accounts(), "GEN-Q", AvroSerdes
                    .forType(AccountRegistration.class, registry).serializer().serialize(NAMES.accounts(), general)));
            producer.flush();
            ItSupport.await(() -> ItSupport.countRaw(broker.bootstrapServers(), NAMES.validated(NAMES.accounts()), r -> new String(r.key(), StandardCharsets.UTF_8).equals("GEN-Q")) > 0, Duration.ofSeconds(60));
            ItSupport.awaitRegistered(httpA, "P-Q", "GEN-Q");
            ItSupport.awaitRegistered(httpB, "P-Q", "GEN-Q");
            producer.send(new ProducerRecord<>(NAMES.clearingPayments(), "CARD-Q", AvroSerdes
                    .forType(ClearingPayment.class, registry).serializer().serialize(NAMES.clearingPayments(), bypass)));
            producer.flush();
        }
        HttpClient http = HttpClient.newHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        // When both instances are asked for the profile, then both give the owner's answer.
        List<com.fasterxml.jackson.databind.JsonNode> answers = new ArrayList<>();
        ItSupport.await(() -> {
            answers.clear();
            for (int port : new int[] {httpA, httpB}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/platforms/P-Q")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return false;
                }
                com.fasterxml.jackson.databind.JsonNode body = json.readTree(r.body());
                if (body.get("openFindings").asInt() == 0) {
                    return false;
                }
                answers.add(body);
            }
            return true;
        }, Duration.ofSeconds(60));
        assertEquals(answers.get(0).get("servedBy"), answers.get(1).get("servedBy"), "one owner served both");
        assertEquals(answers.get(0).get("score"), answers.get(1).get("score"));
        assertEquals(1, answers.get(0).get("openByDetector").get("CUSTODY_BYPASS").asInt());
        assertEquals("440300", answers.get(0).get("regionCode").asText());
        assertEquals("Query lending", answers.get(0).get("registry").get("name").asText());

        // And /alerts merges across instances and filters by platform and detector.
        for (int port : new int[] {httpA, httpB}) {
            com.fasterxml.jackson.databind.JsonNode latest = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/alerts?platformId=P-Q&detector=CUSTODY_BYPASS&limit=5"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(1, latest.size());
            assertEquals("PAY-Q-1", latest.get(0).get("evidence").get(0).get("eventId").asText());
            com.fasterxml.jackson.databind.JsonNode all = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/alerts?limit=50")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(all.size() >= 1);
            assertTrue(java.util.stream.StreamSupport.stream(all.spliterator(), false)
                    .anyMatch(a -> a.get("platformId").asText().equals("P-Q")), "merged list has P-Q from any owner");
            // And by region and severity, without a platform (the analyst page's filters), merged the same way.
            String severity = latest.get(0).get("severity").asText().toLowerCase(java.util.Locale.ROOT);
            com.fasterxml.jackson.databind.JsonNode inRegion = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/alerts?regionCode=440300&severity=" + severity
                            + "&limit=50")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(java.util.stream.StreamSupport.stream(inRegion.spliterator(), false)
                    .anyMatch(a -> a.get("platformId").asText().equals("P-Q")), "P-Q's alert in its region");
            com.fasterxml.jackson.databind.JsonNode elsewhere = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/alerts?regionCode=110000&limit=50")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(java.util.stream.StreamSupport.stream(elsewhere.spliterator(), false)
                    .noneMatch(a -> a.get("platformId").asText().equals("P-Q")), "not in another region");
        }
        // The owner's gauges show the platform among its highest risks and its open bypass finding.
        ItSupport.await(() -> {
            String scraped = "";
            for (int port : new int[] {httpA, httpB}) {
                scraped += http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            return scraped.contains("fundwatch_platform_risk_score{platform=\"P-Q\",region=\"440300\"}")
                    && scraped.contains("fundwatch_open_findings{detector=\"CUSTODY_BYPASS\"}");
        }, Duration.ofSeconds(45));
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpA + "/platforms/NOPE")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void shouldTraceASelfFinancingPathFromEitherInstance() throws Exception {
        // Given platform P-T's custody master lends ¥1,200,000 to a shell, which passes it through MID-T to the
        // platform's related party: the path's state lives with the accounts' and the platform's owners.
        Platform platform = Platform.newBuilder().setPlatformId("P-T").setName("Trace lending")
                .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).setRegionCode("310000").build();
        AccountRegistration master = AccountRegistration.newBuilder().setAccountId("CM-T").setBankId("B-1")
                .setPlatformId("P-T").setHolderPartyId("pty-pt").setPurpose(AccountPurpose.CUSTODY_MASTER).build();
        AccountRegistration related = AccountRegistration.newBuilder().setAccountId("RP-T").setBankId("B-1")
                .setPlatformId("P-T").setHolderPartyId("pty-exec-t").setPurpose(AccountPurpose.RELATED_PARTY).build();
        fundwatch.avro.CustodyTransaction loan = fundwatch.avro.CustodyTransaction.newBuilder().setEventId("D-T-1")
                .setCustodianId("CB-1").setPlatformId("P-T").setType(fundwatch.avro.TxType.LOAN_DISBURSEMENT)
                .setDebitAccountId("SUB-T-1").setDebitRole(fundwatch.avro.AccountRole.BORROWER)
                .setDebitPartyId("pty-shell-t").setCreditAccountId("SHELL-T")
                .setCreditRole(fundwatch.avro.AccountRole.EXTERNAL).setCreditPartyId("pty-shell-t")
                .setAmountMinor(120_000_000).setCurrency("CNY").setEventTime(NOW.minusSeconds(7_200)).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(NAMES.platforms(), "P-T",
                    AvroSerdes.forType(Platform.class, registry).serializer().serialize(NAMES.platforms(), platform)));
            for (AccountRegistration a : List.of(master, related)) {
                producer.send(new ProducerRecord<>(NAMES.accounts(), a.getAccountId(), AvroSerdes
                        .forType(AccountRegistration.class, registry).serializer().serialize(NAMES.accounts(), a)));
            }
            producer.flush();
            ItSupport.awaitRegistered(httpA, "P-T", "RP-T");
            ItSupport.awaitRegistered(httpB, "P-T", "RP-T");
            producer.send(new ProducerRecord<>(NAMES.custodyTransactions(), "P-T", AvroSerdes
                    .forType(fundwatch.avro.CustodyTransaction.class, registry).serializer()
                    .serialize(NAMES.custodyTransactions(), loan)));
            long[] minutesAgo = {119, 60, 10};
            String[][] legs = {{"L-T-1", "CM-T", "SHELL-T"}, {"X-T-1", "SHELL-T", "MID-T"}, {"X-T-2", "MID-T", "RP-T"}};
            for (int i = 0; i < legs.length; i++) {
                ClearingPayment p = ClearingPayment.newBuilder().setPaymentId(legs[i][0]).setClearingHouse("CNAPS")
                        .setPayerAccountId(legs[i][1]).setPayerBankId("B-2").setPayerPartyType(PartyType.CORPORATE)
                        .setPayeeAccountId(legs[i][2]).setPayeeBankId("B-1").setPayeePartyType(PartyType.CORPORATE)
                        .setAmountMinor(120_000_000).setCurrency("CNY")
                        .setEventTime(NOW.minusSeconds(60 * minutesAgo[i])).build();
                producer.send(new ProducerRecord<>(NAMES.clearingPayments(), legs[i][1], AvroSerdes
                        .forType(ClearingPayment.class, registry).serializer()
                        .serialize(NAMES.clearingPayments(), p)));
            }
            producer.flush();
        }
        HttpClient http = HttpClient.newHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] alertId = new String[1];
        ItSupport.await(() -> {
            com.fasterxml.jackson.databind.JsonNode found = json.readTree(http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + httpA + "/alerts?platformId=P-T&detector=SELF_FINANCING&limit=5")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (found.size() == 0) {
                return false;
            }
            alertId[0] = found.get(0).get("alertId").asText();
            return true;
        }, Duration.ofSeconds(90));

        // When either instance is asked for the alert's trace, then both show the path hop by hop.
        for (int port : new int[] {httpA, httpB}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/alerts/" + alertId[0] + "/trace")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode path = json.readTree(r.body()).get("paths").get(0);
            assertEquals("X-T-2", path.get("evidenceEventId").asText());
            assertEquals("LOAN", path.get("originKind").asText());
            List<String> hops = new ArrayList<>();
            path.get("hops").forEach(h -> hops.add(h.get("paymentId").asText()));
            assertEquals(List.of("L-T-1", "X-T-1", "X-T-2"), hops);
            // and the shell's account view (routed to its owner) shows the loan it received and paid on
            com.fasterxml.jackson.databind.JsonNode shell = json.readTree(http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/trace/accounts/SHELL-T")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(1, shell.get("received").size());
            assertEquals(0, shell.get("holdings").size());
            assertEquals("P-T", shell.get("received").get(0).get("originPlatformId").asText());
        }
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + httpA + "/alerts/no-such-alert/trace")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("\"error\""));
    }
}
