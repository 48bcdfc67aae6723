package fundwatch.schemas.serde;

import static fundwatch.schemas.serde.WireBytes.asGeneric;
import static fundwatch.schemas.serde.WireBytes.avroBinary;
import static fundwatch.schemas.serde.WireBytes.genericBinary;
import static fundwatch.schemas.serde.WireBytes.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.ContractFixtures;
import fundwatch.schemas.registry.FakeConfluentRegistry;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a value can fail to decode (or encode) ends as a SerializationException with a stable code. */
class SerdeErrorsTest {

    private static final String TOPIC = "custody.transactions";
    private static final String SUBJECT = "custody.transactions-value";

    private InMemorySchemaRegistryClient registry;
    private ConfluentAvroDeserializer<CustodyTransaction> deserializer;
    private byte[] valid;

    @BeforeEach
    void setUp() {
        registry = new InMemorySchemaRegistryClient();
        deserializer = new ConfluentAvroDeserializer<>(CustodyTransaction.class, registry);
        valid = new ConfluentAvroSerializer<>(CustodyTransaction.class, registry)
                .serialize(TOPIC, ContractFixtures.custodyInvest());
    }

    private String codeOf(byte[] bytes) {
        SerializationException e = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, bytes));
        String code = DecodeErrors.code(e);
        assertTrue(e.getMessage().startsWith(code + ": "), e.getMessage());
        return code;
    }

    @Test
    void shouldRejectRandomBytesWithACodeNeverACrash() {
        // Given random values, most of them not our wire format at all
        Random random = new Random(20240301L);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);

            // When / Then each is a coded SerializationException, whatever the bytes
            assertTrue(DecodeErrors.CODES.contains(codeOf(bytes)));
        }
    }

    @Test
    void shouldRejectGarbageBodiesBehindAValidHeaderWithACode() {
        // Given a correct header (a registered id) in front of random bodies, so the Avro decoder itself is fuzzed
        Random random = new Random(7L);
        int id = java.nio.ByteBuffer.wrap(valid, 1, 4).getInt();
        for (int i = 0; i < 5000; i++) {
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(body);
            byte[] bytes = frame(id, body);

            // When
            try {
                deserializer.deserialize(TOPIC, bytes);
            } catch (CodedSerializationException e) {
                // Then: only codes about the body itself (header fine, writer schema = reader schema)
                assertTrue(Arrays.asList(DecodeErrors.TRUNCATED, DecodeErrors.TRAILING_BYTES, DecodeErrors.MALFORMED)
                        .contains(e.code()), e.getMessage());
            } catch (RuntimeException e) {
                fail("uncoded failure for body " + Arrays.toString(body), e);
            }
        }
    }

    @Test
    void shouldRejectAWrongMagicByte() {
        // Given a valid record whose first byte is 1 (e.g. a future wire format)
        byte[] bytes = valid.clone();
        bytes[0] = 1;

        // When / Then
        assertEquals(DecodeErrors.UNKNOWN_MAGIC_BYTE, codeOf(bytes));
        assertEquals(DecodeErrors.UNKNOWN_MAGIC_BYTE, codeOf("{\"eventId\":\"x\"}".getBytes()));
    }

    @Test
    void shouldRejectValuesShorterThanTheHeader() {
        assertEquals(DecodeErrors.TOO_SHORT, codeOf(new byte[0]));
        assertEquals(DecodeErrors.TOO_SHORT, codeOf(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void shouldRejectAnIdTheRegistryDoesNotKnow() {
        // Given a well-formed value naming schema id 999, which was never registered
        byte[] bytes = frame(999, Arrays.copyOfRange(valid, 5, valid.length));

        // When / Then
        assertEquals(DecodeErrors.UNKNOWN_SCHEMA_ID, codeOf(bytes));
    }

    @Test
    void shouldRejectATruncatedBody() {
        // Given the value cut short by a few bytes (it ends inside eventTime)
        byte[] bytes = Arrays.copyOf(valid, valid.length - 3);

        // When / Then
        assertEquals(DecodeErrors.TRUNCATED, codeOf(bytes));
        // A header with no body at all is truncated too: the record has required fields
        assertEquals(DecodeErrors.TRUNCATED, codeOf(Arrays.copyOf(valid, 5)));
    }

    @Test
    void shouldRejectTrailingBytesAfterTheRecord() {
        // Given a valid value with two extra bytes (e.g. two records concatenated by a broken producer)
        byte[] bytes = Arrays.copyOf(valid, valid.length + 2);

        // When / Then
        assertEquals(DecodeErrors.TRAILING_BYTES, codeOf(bytes));
    }

    @Test
    void shouldTreatAHugeLengthPrefixAsTruncationWithoutAllocatingIt() {
        // Given a body whose first string (eventId) claims 2^40 bytes
        byte[] bytes = frame(java.nio.ByteBuffer.wrap(valid, 1, 4).getInt(),
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40});

        // When / Then it is reported, not attempted
        assertEquals(DecodeErrors.TRUNCATED, codeOf(bytes));
    }

    @Test
    void shouldTreatAnImpossibleBlockCountAsMalformed() {
        // Given an alert whose metrics map claims a billion entries in a handful of bytes
        InMemorySchemaRegistryClient alerts = new InMemorySchemaRegistryClient();
        ConfluentAvroDeserializer<FundFlowAlert> alertDeserializer = new ConfluentAvroDeserializer<>(FundFlowAlert.class, alerts);
        FundFlowAlert alert = FundFlowAlert.newBuilder(ContractFixtures.alert())
                .setMetrics(java.util.Map.of()).setThresholds(java.util.Map.of()).setEvidence(java.util.List.of())
                .setRuleVersion("").setSummary("").build();
        byte[] good = new ConfluentAvroSerializer<>(FundFlowAlert.class, alerts).serialize("a", alert);
        // The empty metrics map is encoded as a single 0 byte followed by thresholds (0), evidence (0),
        // ruleVersion (0) and summary (0): the five last bytes. Replace the first with a huge count.
        byte[] body = Arrays.copyOfRange(good, 0, good.length - 5);
        byte[] count = WireBytes.varint(1_000_000_000L);
        byte[] bytes = new byte[body.length + count.length + 4];
        System.arraycopy(body, 0, bytes, 0, body.length);
        System.arraycopy(count, 0, bytes, body.length, count.length);

        // When
        CodedSerializationException e = assertThrows(CodedSerializationException.class,
                () -> alertDeserializer.deserialize("a", bytes));

        // Then
        assertEquals(DecodeErrors.MALFORMED, e.code(), e.getMessage());
    }

    @Test
    void shouldRejectAWriterSchemaThatCannotBeResolvedToOurs() {
        // Given a ClearingPayment (registered and valid) produced into the custody topic by mistake
        byte[] payment = new ConfluentAvroSerializer<>(ClearingPayment.class, registry)
                .serialize("clearing.payments", ContractFixtures.clearingPayment());

        // When / Then
        assertEquals(DecodeErrors.UNRESOLVABLE_SCHEMA, codeOf(payment));
    }

    @Test
    void shouldRejectAnEnumSymbolOurReaderDoesNotKnow() {
        // Given a newer producer whose TxType gained CRYPTO_SWAP, and a record using it
        ObjectNode json = WireBytes.readTree(CustodyTransaction.getClassSchema());
        for (var field : json.get("fields")) {
            if (field.get("name").asText().equals("type")) {
                ((ArrayNode) field.get("type").get("symbols")).add("CRYPTO_SWAP");
            }
        }
        Schema newer = new Schema.Parser().parse(json.toString());
        registry.setCompatibility(SUBJECT, "NONE");
        int id = registry.register(SUBJECT, newer);
        GenericRecord record = asGeneric(ContractFixtures.custodyInvest(), newer,
                r -> r.put("type", new GenericData.EnumSymbol(newer.getField("type").schema(), "CRYPTO_SWAP")));

        // When / Then that record is unresolvable …
        assertEquals(DecodeErrors.UNRESOLVABLE_SCHEMA, codeOf(frame(id, genericBinary(record))));
        // … while the same producer's records with known symbols still decode
        GenericRecord known = asGeneric(ContractFixtures.custodyInvest(), newer, r -> { });
        assertEquals(ContractFixtures.custodyInvest(), deserializer.deserialize(TOPIC, frame(id, genericBinary(known))));
    }

    @Test
    void shouldReportARegistryThatCannotBeReachedAsRegistryUnavailable() throws IOException {
        // Given a registry URL where nothing listens, and an id the deserializer has not cached
        String deadUrl;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
        RestSchemaRegistryClient down = RestSchemaRegistryClient.builder(deadUrl)
                .maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();
        ConfluentAvroDeserializer<CustodyTransaction> d = new ConfluentAvroDeserializer<>(CustodyTransaction.class, down);

        // When
        CodedSerializationException e = assertThrows(CodedSerializationException.class, () -> d.deserialize(TOPIC, valid));

        // Then it is distinguishable from a bad record: a DLQ must not swallow it
        assertEquals(DecodeErrors.REGISTRY_UNAVAILABLE, e.code());
        assertTrue(e.isRegistryOutage());
        assertTrue(DecodeErrors.isRegistryOutage(new KafkaException("wrapped by Streams", e)));
        // and the serializer says the same when it cannot register
        CodedSerializationException s = assertThrows(CodedSerializationException.class,
                () -> new ConfluentAvroSerializer<>(CustodyTransaction.class, down)
                        .serialize(TOPIC, ContractFixtures.custodyInvest()));
        assertEquals(DecodeErrors.REGISTRY_UNAVAILABLE, s.code());
    }

    @Test
    void shouldReportARegistryFailingWith5xxAfterRetriesAsRegistryUnavailable() {
        // Given a registry that answers 503 to everything
        try (FakeConfluentRegistry fake = FakeConfluentRegistry.start("")) {
            fake.failAlways(503);
            RestSchemaRegistryClient failing = RestSchemaRegistryClient.builder(fake.url())
                    .maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
            ConfluentAvroDeserializer<CustodyTransaction> d =
                    new ConfluentAvroDeserializer<>(CustodyTransaction.class, failing);

            // When
            CodedSerializationException e = assertThrows(CodedSerializationException.class,
                    () -> d.deserialize(TOPIC, valid));

            // Then after three attempts it gives up, as an outage
            assertEquals(DecodeErrors.REGISTRY_UNAVAILABLE, e.code());
            assertEquals(3, fake.count("GET", "/schemas/ids/1"));
        }
    }

    @Test
    void shouldReportAWrongRegistryBaseUrlAsRegistryUnavailableNotAsUnknownId() {
        // Given a URL missing Apicurio's /apis/ccompat/v7 suffix: every path is an unknown route (404, no 404xx code)
        try (FakeConfluentRegistry fake = FakeConfluentRegistry.start("/apis/ccompat/v7")) {
            String wrong = fake.url().replace("/apis/ccompat/v7", "/apis/registry/v2");
            ConfluentAvroDeserializer<CustodyTransaction> d = new ConfluentAvroDeserializer<>(CustodyTransaction.class,
                    RestSchemaRegistryClient.builder(wrong).build());

            // When
            CodedSerializationException e = assertThrows(CodedSerializationException.class,
                    () -> d.deserialize(TOPIC, valid));

            // Then records are not dead-lettered as "unknown id" because of a config mistake
            assertEquals(DecodeErrors.REGISTRY_UNAVAILABLE, e.code(), e.getMessage());
        }
    }

    @Test
    void shouldReportARecordThatCannotBeEncoded() {
        // Given a record with a required field left null (bypassing the builder's checks)
        CustodyTransaction broken = new CustodyTransaction();

        // When
        CodedSerializationException e = assertThrows(CodedSerializationException.class,
                () -> new ConfluentAvroSerializer<>(CustodyTransaction.class, registry).serialize(TOPIC, broken));

        // Then
        assertEquals(DecodeErrors.ENCODE_FAILED, e.code());
    }

    @Test
    void shouldReportASchemaTheRegistryRefuses() {
        // Given the subject already holds an unrelated record type under BACKWARD compatibility
        registry.register("mixed-value", ClearingPayment.getClassSchema());

        // When
        CodedSerializationException e = assertThrows(CodedSerializationException.class,
                () -> new ConfluentAvroSerializer<>(CustodyTransaction.class, registry)
                        .serialize("mixed", ContractFixtures.custodyInvest()));

        // Then
        assertEquals(DecodeErrors.REGISTRY_REJECTED, e.code());
        assertFalse(e.isRegistryOutage());
    }

    @Test
    void shouldReadTheCodeFromAnyWrappedSerdeFailureAndOtherwiseSayOther() {
        assertEquals(DecodeErrors.TRUNCATED,
                DecodeErrors.code(new KafkaException(new SerializationException("truncated: cut short"))));
        assertEquals(DecodeErrors.OTHER, DecodeErrors.code(new SerializationException("Size of data received …")));
        assertEquals(DecodeErrors.OTHER, DecodeErrors.code(new IllegalStateException("boom")));
        assertEquals(DecodeErrors.OTHER, DecodeErrors.code(null));
    }
}
