package fundwatch.app.runtime;

import static fundwatch.app.runtime.ItSupport.NAMES;
import static fundwatch.app.runtime.ItSupport.await;
import static fundwatch.app.runtime.ItSupport.bypass;
import static fundwatch.app.runtime.ItSupport.encode;
import static fundwatch.app.runtime.ItSupport.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.TxType;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryException;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills and hostile input on a real broker and registry: every bad record reaches the DLQ (or is dropped
 * as a duplicate) with a counter, nothing stops, the valid records around them are processed; and schema
 * evolution: older and newer producer schemas both decode, an incompatible one is refused by the registry.
 */
@Timeout(240)
class HostileInputIT {
    @TempDir
    static Path work;
    static TestStack stack;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registryProcess;
    static SchemaRegistryClient registry;
    static FundwatchRuntime runtime;
    static final Instant NOW = Instant.now();

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 2);
        broker = stack.broker;
        registryProcess = stack.registryProcess;
        registry = stack.registry;
        runtime = new FundwatchRuntime(ItSupport.config(broker.bootstrapServers(), registryProcess.url(),
                "fundwatch-hostile-it", work.resolve("state"), 0), registry);
        runtime.start();
        assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)));
        ItSupport.registerPlatformWithGeneralAccount(broker.bootstrapServers(), registry, "P-H", "GEN-H", "330100");
        ItSupport.awaitRegistered(runtime.httpPort(), "P-H", "GEN-H");
    }

    @AfterAll
    static void stopTheStack() {
        if (runtime != null) {
            runtime.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static double counter(String name, String... tags) {
        Counter c = runtime.meters().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldDeadLetterEveryPoisonPillAndKeepProcessingTheValidRecordsAroundThem() throws Exception {
        String topic = NAMES.clearingPayments();
        Random random = new Random(42);
        byte[] randomBytes = new byte[1024];
        random.nextBytes(randomBytes);
        randomBytes[0] = 0x13;   // not the Confluent magic byte
        byte[] valid = encode(registry, topic, bypass("PAY-H-T", "CARD-T", "GEN-H", 1_000, NOW));
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        byte[] unknownId = valid.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 0x7fff_ff00);
        List<byte[]> pills = List.of(randomBytes, truncated, unknownId,
                encode(registry, topic, ClearingPayment.newBuilder(bypass("PAY-NEG", "CARD-N", "GEN-H", 1, NOW))
                        .setAmountMinor(-100).build()),
                encode(registry, topic, ClearingPayment.newBuilder(bypass("PAY-MAX", "CARD-N", "GEN-H", 1, NOW))
                        .setAmountMinor(Long.MAX_VALUE).build()),
                encode(registry, topic, bypass("PAY-FUTURE", "CARD-N", "GEN-H", 100, NOW.plus(Duration.ofDays(400)))),
                encode(registry, topic, bypass("PAY-PAST", "CARD-N", "GEN-H", 100, Instant.parse("1990-01-01T00:00:00Z"))));
        // A valid payment with a 200 000-character remark is odd but legal: processed, not a crash.
        ClearingPayment huge = ClearingPayment.newBuilder(bypass("PAY-HUGE", "CARD-U", "SHOP-1", 500, NOW))
                .setPurpose("x".repeat(200_000)).build();
        ClearingPayment stormed = bypass("PAY-STORM", "CARD-S", "GEN-H", 2_000_000, NOW);

        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            for (byte[] pill : pills) {
                p.send(new ProducerRecord<>(topic, "CARD-N", pill));
            }
            p.send(new ProducerRecord<>(topic, "CARD-U", encode(registry, topic, huge)));
            // A storm of 300 redeliveries of one payment: one payment.
            byte[] storm = encode(registry, topic, stormed);
            for (int i = 0; i < 300; i++) {
                p.send(new ProducerRecord<>(topic, "CARD-S", storm));
            }
            p.send(new ProducerRecord<>(topic, "CARD-OK", encode(registry, topic,
                    bypass("PAY-H-OK", "CARD-OK", "GEN-H", 5_000_000, NOW.plusSeconds(1)))));
        }

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        await(() -> {
            dead.clear();
            dead.addAll(ItSupport.readRaw(broker.bootstrapServers(), NAMES.deadLetters()));
            return dead.size() >= pills.size();
        }, Duration.ofSeconds(60));
        assertEquals(pills.size(), dead.size(), "exactly the poison pills are dead-lettered");
        List<String> reasons = dead.stream().map(d -> header(d, "fundwatch.error"))
                .map(r -> r.substring(0, r.indexOf(':'))).toList();
        assertEquals(List.of("unknown-magic-byte", "truncated", "unknown-schema-id", "invalid-amount",
                "amount-too-large", "event-time-in-future", "event-time-too-old"), reasons);
        for (int i = 0; i < pills.size(); i++) {
            assertArrayEquals(pills.get(i), dead.get(i).value(), "dead letter " + i + " is the original bytes");
            assertEquals(topic, header(dead.get(i), "fundwatch.source.topic"));
        }

        List<FundFlowAlert> alerts = new ArrayList<>();
        await(() -> {
            alerts.clear();
            alerts.addAll(ItSupport.readAlerts(broker.bootstrapServers(), registry));
            return alerts.stream().anyMatch(a -> a.getEvidence().stream()
                    .anyMatch(e -> e.getEventId().equals("PAY-H-OK")));
        }, Duration.ofSeconds(60));
        FundFlowAlert latest = alerts.get(alerts.size() - 1);
        assertEquals("P-H", latest.getSubjectId());
        assertEquals(2d, latest.getMetrics().get("bypassPayments"), "the storm counted once, plus PAY-H-OK");
        assertEquals(299d, counter("fundwatch.duplicates", "topic", topic));
        assertEquals(1d, counter("fundwatch.dead.letters", "topic", topic, "reason", "truncated"));
        assertEquals(KafkaStreams.State.RUNNING, runtime.state(), "nothing stopped the application");
        assertTrue(counter("fundwatch.events.consumed", "topic", topic) >= 3, "huge remark, storm, PAY-H-OK");
    }

    @Test
    void shouldProcessAnEventHoursAheadThatItsOwnSkewAcceptsThoughTheBrokerDefaultWouldNot() throws Exception {
        // Three hours ahead: inside max.future.skew (1 day), so valid — but past the broker's default
        // log.message.timestamp.after.max.ms (1 h since Kafka 4.0). Records keep their event time on the way through
        // repartition, changelog and alert topics; a broker refusing one killed the stream thread on every retry.
        ItSupport.registerPlatformWithGeneralAccount(broker.bootstrapServers(), registry, "P-AHEAD", "GEN-AHEAD",
                "330100");
        ItSupport.awaitRegistered(runtime.httpPort(), "P-AHEAD", "GEN-AHEAD");
        String topic = NAMES.clearingPayments();
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            p.send(new ProducerRecord<>(topic, "CARD-AHEAD", encode(registry, topic,
                    bypass("PAY-AHEAD", "CARD-AHEAD", "GEN-AHEAD", 5_000_000, NOW.plus(Duration.ofHours(3))))));
        }
        List<FundFlowAlert> alerts = new ArrayList<>();
        await(() -> {
            alerts.clear();
            alerts.addAll(ItSupport.readAlerts(broker.bootstrapServers(), registry));
            return alerts.stream().anyMatch(a -> a.getEvidence().stream()
                    .anyMatch(e -> e.getEventId().equals("PAY-AHEAD")));
        }, Duration.ofSeconds(90));
        // The platform pays out of its general account three hours ahead: D8 traces it, and the traced credit goes
        // through the look-through loop topic with that event time.
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            p.send(new ProducerRecord<>(topic, "GEN-AHEAD", encode(registry, topic, ClearingPayment.newBuilder(
                    bypass("PAY-AHEAD-OUT", "GEN-AHEAD", "CARD-OUT-AHEAD", 3_000_000, NOW.plus(Duration.ofHours(3))))
                    .setPayerPartyType(fundwatch.avro.PartyType.CORPORATE)
                    .setPayeePartyType(fundwatch.avro.PartyType.INDIVIDUAL).build())));
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI trace = java.net.URI.create("http://127.0.0.1:" + runtime.httpPort()
                + "/trace/accounts/CARD-OUT-AHEAD");
        await(() -> http.send(java.net.http.HttpRequest.newBuilder(trace).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("PAY-AHEAD-OUT"),
                Duration.ofSeconds(90));
        assertEquals(KafkaStreams.State.RUNNING, runtime.state());
        assertFalse(ItSupport.readRaw(broker.bootstrapServers(), NAMES.deadLetters()).stream()
                .anyMatch(d -> new String(d.value(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("PAY-AHEAD")),
                "valid, so not dead-lettered");
    }

    @Test
    void shouldDecodeOlderAndNewerProducerSchemasAndRefuseAnIncompatibleOne() throws Exception {
        String topic = NAMES.custodyTransactions();
        String subject = topic + "-value";
        Schema current = CustodyTransaction.getClassSchema();
        // A newer producer: one more optional field. An older one: without the optional productId.
        Schema newer = withField(current, "\"channel\"", "{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null}");
        Schema older = withoutField(current, "productId");
        double before = counter("fundwatch.events.consumed", "topic", topic);
        registry.setCompatibility(subject, "BACKWARD");

        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            GenericRecord n = deposit(newer, "CT-NEWER");
            n.put("channel", "APP");
            p.send(new ProducerRecord<>(topic, "P-H", frame(registry.register(subject, newer), newer, n)));
            p.send(new ProducerRecord<>(topic, "P-H", frame(registry.register(subject, older), older,
                    deposit(older, "CT-OLDER"))));
        }
        await(() -> counter("fundwatch.events.consumed", "topic", topic) >= before + 2, Duration.ofSeconds(60));
        assertFalse(ItSupport.readRaw(broker.bootstrapServers(), NAMES.deadLetters()).stream()
                .anyMatch(d -> topic.equals(header(d, "fundwatch.source.topic"))), "neither was dead-lettered");

        // A new required field without a default cannot read the data already on the topic: refused.
        Schema incompatible = withField(current, "\"branch\"", "{\"name\":\"branch\",\"type\":\"string\"}");
        assertFalse(registry.isCompatible(subject, incompatible));
        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> registry.register(subject, incompatible));
        assertEquals(409, refused.status());
    }

    private static GenericRecord deposit(Schema schema, String eventId) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("eventId", eventId);
        r.put("custodianId", "CB-1");
        r.put("platformId", "P-H");
        r.put("type", new GenericData.EnumSymbol(schema.getField("type").schema(), TxType.DEPOSIT.name()));
        r.put("debitAccountId", "EXT-CARD");
        r.put("creditAccountId", "SUB-L1");
        r.put("debitRole", new GenericData.EnumSymbol(schema.getField("debitRole").schema(), AccountRole.EXTERNAL.name()));
        r.put("creditRole", new GenericData.EnumSymbol(schema.getField("creditRole").schema(), AccountRole.LENDER.name()));
        r.put("amountMinor", 1_000_00L);
        r.put("currency", "CNY");
        r.put("eventTime", NOW.toEpochMilli());
        return r;
    }

    /** Confluent framing by hand, as a producer with another schema version would write it. */
    private static byte[] frame(int id, Schema schema, GenericRecord record) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withField(Schema base, String name, String fieldJson) {
        String json = base.toString();
        if (json.contains("\"name\":" + name)) {
            throw new IllegalStateException("field already there");
        }
        int fields = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fields) + fieldJson + "," + json.substring(fields));
    }

    private static Schema withoutField(Schema base, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            if (!f.name().equals(name)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
