package fundwatch.schemas.serde;

import static fundwatch.schemas.serde.WireBytes.asGeneric;
import static fundwatch.schemas.serde.WireBytes.avroBinary;
import static fundwatch.schemas.serde.WireBytes.genericBinary;
import static fundwatch.schemas.serde.WireBytes.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.ContractFixtures;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "custody.transactions";
    private static final String SUBJECT = "custody.transactions-value";

    /** Hands out one fixed id and counts calls, so tests can see exactly what the serde asks. */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        final int id;
        final List<String> calls = new ArrayList<>();
        Schema registered;

        FixedIdRegistry(int id) {
            this.id = id;
        }

        @Override
        public int register(String subject, Schema schema) {
            calls.add("register " + subject);
            registered = schema;
            return id;
        }

        @Override
        public int lookupId(String subject, Schema schema) {
            calls.add("lookupId " + subject);
            registered = schema;
            return id;
        }

        @Override
        public Schema schemaById(int requested) {
            calls.add("schemaById " + requested);
            return registered;
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }

        @Override
        public void setCompatibility(String subject, String level) {
        }
    }

    @Test
    void shouldWriteMagicByteThenBigEndianIdThenPlainAvroBody() {
        // Given a registry that assigns id 258 (0x00000102, so byte order is visible)
        FixedIdRegistry registry = new FixedIdRegistry(258);
        ConfluentAvroSerializer<CustodyTransaction> serializer =
                new ConfluentAvroSerializer<>(CustodyTransaction.class, registry);
        CustodyTransaction tx = ContractFixtures.custodyInvest();

        // When
        byte[] bytes = serializer.serialize(TOPIC, tx);

        // Then the header is 00 | 00 00 01 02 and the body is exactly Avro's own binary encoding
        assertArrayEquals(new byte[] {0x00, 0x00, 0x00, 0x01, 0x02}, Arrays.copyOf(bytes, 5));
        assertArrayEquals(avroBinary(tx), Arrays.copyOfRange(bytes, 5, bytes.length));
        assertEquals(List.of("register " + SUBJECT), registry.calls);
        assertEquals(CustodyTransaction.getClassSchema(), registry.registered);
    }

    static Stream<SpecificRecord> contractRecords() {
        return ContractFixtures.oneOfEach().stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("contractRecords")
    void shouldRoundTripEveryContractRecord(SpecificRecord record) {
        // Given a serde for the record's own class and an empty registry
        Serde<SpecificRecord> serde = serdeFor(record, new InMemorySchemaRegistryClient());

        // When
        byte[] bytes = serde.serializer().serialize("some.topic", record);
        SpecificRecord back = serde.deserializer().deserialize("some.topic", bytes);

        // Then the decoded record equals the original (Instants, enums, maps, nested arrays included)
        assertEquals(record, back);
        assertNotSame(record, back);
        assertEquals(record.getClass(), back.getClass());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<SpecificRecord> serdeFor(SpecificRecord record, SchemaRegistryClient registry) {
        return (Serde) AvroSerdes.forType((Class) record.getClass(), registry);
    }

    @Test
    void shouldPassTombstonesThroughAsNullWithoutAskingTheRegistry() {
        // Given
        FixedIdRegistry registry = new FixedIdRegistry(7);
        Serde<CustodyTransaction> serde = AvroSerdes.forType(CustodyTransaction.class, registry);

        // When / Then: null stays null both ways (a compacted-topic delete)
        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
        assertEquals(List.of(), registry.calls);
    }

    @Test
    void shouldAskTheRegistryOncePerSubjectAndOncePerWriterId() {
        // Given
        FixedIdRegistry registry = new FixedIdRegistry(3);
        Serde<CustodyTransaction> serde = AvroSerdes.forType(CustodyTransaction.class, registry);

        // When a thousand records go through on two topics
        for (int i = 0; i < 1000; i++) {
            CustodyTransaction tx = CustodyTransaction.newBuilder(ContractFixtures.custodyInvest())
                    .setEventId("CB-" + i).build();
            String topic = i % 2 == 0 ? TOPIC : "custody.replay";
            assertEquals(tx, serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, tx)));
        }

        // Then the hot path stayed off the registry after the first record of each subject / id
        assertEquals(List.of("register " + SUBJECT, "schemaById 3", "register custody.replay-value"), registry.calls);
    }

    @Test
    void shouldOnlyLookUpTheIdWhenAutoRegisterIsOff() {
        // Given a registry where the schema was registered by a deployment step
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        int id = registry.register(SUBJECT, CustodyTransaction.getClassSchema());
        Serde<CustodyTransaction> serde = AvroSerdes.forType(CustodyTransaction.class, registry, false);

        // When
        byte[] bytes = serde.serializer().serialize(TOPIC, ContractFixtures.custodyInvest());

        // Then the existing id is used and nothing new was registered
        assertEquals(id, java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(List.of(id), registry.versions(SUBJECT));
    }

    @Test
    void shouldFailWithSchemaNotRegisteredWhenAutoRegisterIsOffAndTheSchemaIsMissing() {
        // Given an empty registry and auto-registration off
        Serde<CustodyTransaction> serde =
                AvroSerdes.forType(CustodyTransaction.class, new InMemorySchemaRegistryClient(), false);

        // When
        CodedSerializationException e = assertThrows(CodedSerializationException.class,
                () -> serde.serializer().serialize(TOPIC, ContractFixtures.custodyInvest()));

        // Then
        assertEquals(DecodeErrors.SCHEMA_NOT_REGISTERED, e.code());
    }

    @Test
    void shouldHonourAutoRegisterSchemasFromConfigure() {
        // Given a serde built with auto-registration on, configured like a Confluent serde
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Serde<CustodyTransaction> serde = AvroSerdes.forType(CustodyTransaction.class, registry);
        serde.configure(java.util.Map.of(ConfluentAvroSerializer.AUTO_REGISTER_SCHEMAS_CONFIG, "false"), false);

        // When / Then it no longer registers
        assertThrows(CodedSerializationException.class,
                () -> serde.serializer().serialize(TOPIC, ContractFixtures.custodyInvest()));
        assertEquals(java.util.Set.of(), registry.subjects());
    }

    @Test
    void shouldDecodeRecordsWrittenWithAnOlderSchemaLackingAnOptionalField() {
        // Given a producer still on a release whose CustodyTransaction had no productId
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Schema older = WireBytes.withoutField(CustodyTransaction.getClassSchema(), "productId");
        int olderId = registry.register(SUBJECT, older);
        CustodyTransaction original = ContractFixtures.custodyInvest();
        GenericRecord written = asGeneric(original, older, r -> { });
        byte[] bytes = frame(olderId, genericBinary(written));

        // When
        CustodyTransaction decoded = new ConfluentAvroDeserializer<>(CustodyTransaction.class, registry)
                .deserialize(TOPIC, bytes);

        // Then every field the old writer had is intact and productId takes its default, null
        CustodyTransaction expected = CustodyTransaction.newBuilder(original).setProductId(null).build();
        assertEquals(expected, decoded);
    }

    @Test
    void shouldDecodeRecordsWrittenWithANewerSchemaCarryingAnExtraField() {
        // Given a producer already on a release that added an optional "channel" field
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Schema newer = WireBytes.withField(CustodyTransaction.getClassSchema(),
                "{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null}");
        int newerId = registry.register(SUBJECT, newer);
        CustodyTransaction original = ContractFixtures.custodyInvest();
        GenericRecord written = asGeneric(original, newer, r -> r.put("channel", "MOBILE_APP"));
        byte[] bytes = frame(newerId, genericBinary(written));

        // When
        CustodyTransaction decoded = new ConfluentAvroDeserializer<>(CustodyTransaction.class, registry)
                .deserialize(TOPIC, bytes);

        // Then the extra field is skipped and everything we know is decoded as written
        assertEquals(original, decoded);
    }

    @Test
    void shouldDecodeANewerAlertWhoseExtraFieldFollowsTheEvidenceArray() {
        // Given a newer FundFlowAlert with an extra array field after ours, which the reader must skip
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Schema newer = WireBytes.withField(FundFlowAlert.getClassSchema(),
                "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]}");
        int newerId = registry.register("alerts.early-warning-value", newer);
        FundFlowAlert original = ContractFixtures.alert();
        GenericRecord written = asGeneric(original, newer, r -> r.put("tags", List.of("pooling", "related-party")));
        // The nested Evidence items stay generated objects; GenericDatumWriter writes any IndexedRecord.
        byte[] bytes = frame(newerId, genericBinary(written));

        // When
        FundFlowAlert decoded = new ConfluentAvroDeserializer<>(FundFlowAlert.class, registry)
                .deserialize("alerts.early-warning", bytes);

        // Then
        assertEquals(original, decoded);
    }
}
