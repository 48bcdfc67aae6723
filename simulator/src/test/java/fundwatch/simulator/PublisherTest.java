package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class PublisherTest {
    private static final Instant T0 = Instant.parse("2025-06-02T02:00:00Z");
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final FakeClock clock = new FakeClock();
    private final RecordingProducer producer = new RecordingProducer(clock);

    /** Real time that only moves when the publisher waits: pacing is checked without sleeping. */
    static final class FakeClock implements Publisher.Clock {
        long now;
        Runnable onSleep = () -> { };

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            onSleep.run();
        }
    }

    /** A MockProducer that also notes the (fake) real time of every send. */
    static final class RecordingProducer extends MockProducer<String, byte[]> {
        final List<Long> sentAt = new ArrayList<>();
        private final FakeClock clock;

        RecordingProducer(FakeClock clock) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.clock = clock;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            sentAt.add(clock.now);
            return super.send(record, callback);
        }
    }

    private Publisher publisher(Pacing pacing) {
        return new Publisher(producer, registry, Map.of(), pacing, clock);
    }

    private static SimEvent payment(String id, Duration after) {
        Instant t = T0.plus(after);
        ClearingPayment cp = ClearingPayment.newBuilder()
                .setPaymentId(id).setClearingHouse("NUCC")
                .setPayerAccountId("card-0000001").setPayerBankId("ICBC").setPayerPartyId("pty-0000000000000001")
                .setPayerPartyType(PartyType.INDIVIDUAL)
                .setPayeeAccountId("P-001-CM").setPayeeBankId("CMB").setPayeePartyId("pty-0000000000000002")
                .setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(123_400).setCurrency("CNY").setEventTime(t)
                .build();
        return new SimEvent(TopicRole.CLEARING, cp.getPayerAccountId(), cp, t.toEpochMilli());
    }

    @Test
    void shouldPublishConfluentFramedValuesKeyedAsTheContractSays() {
        // Given a small market and a publisher on a mock producer with an in-memory registry
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().simulatedDays(1).build());
        List<SimEvent> expected = new ArrayList<>(sim.registry());
        expected.addAll(MarketFixtures.all(sim.events()));

        // When the whole market is published unpaced
        PublishResult result = publisher(Pacing.unpaced()).publishMarket(sim, null);

        // Then every record went out, in order, to its CONTRACT.md topic, with the contract's key
        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertTrue(result.exhausted());
        assertEquals(expected.size(), sent.size());
        assertEquals(expected.size(), result.total());
        for (int i = 0; i < sent.size(); i++) {
            SimEvent event = expected.get(i);
            ProducerRecord<String, byte[]> record = sent.get(i);
            assertEquals(event.role().defaultTopic(), record.topic());
            assertEquals(event.key(), record.key());
            assertEquals(expectedKey(event.value()), record.key());
            // And the value is magic byte 0, the registered schema id of <topic>-value, then Avro binary
            byte[] value = record.value();
            assertEquals(0, value[0]);
            int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
            assertEquals(registry.lookupId(record.topic() + "-value", event.value().getSchema()), schemaId);
            assertEquals(event.value(), decode(event.role(), record.topic(), value));
        }
        assertEquals(Map.of("custody.transactions", count(expected, TopicRole.CUSTODY),
                "clearing.payments", count(expected, TopicRole.CLEARING),
                "registry.platforms", count(expected, TopicRole.PLATFORMS),
                "registry.accounts", count(expected, TopicRole.ACCOUNTS),
                "registry.products", count(expected, TopicRole.PRODUCTS),
                "reference.rates", 1L, "fundwatch.rules", 0L), result.acknowledged());
    }

    @Test
    void shouldPublishToConfiguredTopicNamesAndRegisterTheirSubjects() {
        // Given custody mapped to a bank's own topic name
        Publisher publisher = new Publisher(producer, registry, Map.of(TopicRole.CUSTODY, "bank-a.custody"),
                Pacing.unpaced(), clock);
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().simulatedDays(1).build());
        SimEvent custody = MarketFixtures.all(sim.events()).stream()
                .filter(e -> e.role() == TopicRole.CUSTODY).findFirst().orElseThrow();

        // When one custody transaction is published
        publisher.publishAll(List.of(custody));

        // Then it lands on that topic, its schema under that topic's subject
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertEquals("bank-a.custody", record.topic());
        assertEquals(((CustodyTransaction) custody.value()).getPlatformId(), record.key());
        assertEquals(registry.lookupId("bank-a.custody-value", CustodyTransaction.getClassSchema()),
                ByteBuffer.wrap(record.value(), 1, 4).getInt());
        assertEquals("clearing.payments", publisher.topics().get(TopicRole.CLEARING));
    }

    @Test
    void shouldSendTombstonesAsNullValues() {
        // Given a platform removed from the registry
        SimEvent tombstone = new SimEvent(TopicRole.PLATFORMS, "P-009", null, T0.toEpochMilli());

        // When it is published
        publisher(Pacing.unpaced()).publishAll(List.of(tombstone));

        // Then the record carries the key and no value
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertEquals("registry.platforms", record.topic());
        assertEquals("P-009", record.key());
        assertNull(record.value());
    }

    @Test
    void shouldReplaySimulatedTimeAtTheConfiguredScale() {
        // Given events at 0, 30, 60 and 120 simulated minutes, one simulated hour per real second
        List<SimEvent> events = List.of(payment("CP-1", Duration.ZERO), payment("CP-2", Duration.ofMinutes(30)),
                payment("CP-3", Duration.ofMinutes(60)), payment("CP-4", Duration.ofMinutes(120)));

        // When they are published from T0
        PublishResult result = publisher(Pacing.scaled(3600)).publish(events.iterator(), T0, null);

        // Then they go out at 0, 0.5, 1 and 2 real seconds
        assertTrue(result.exhausted());
        assertEquals(List.of(0L, SECOND_NANOS / 2, SECOND_NANOS, 2 * SECOND_NANOS), producer.sentAt);
        assertEquals(Duration.ofSeconds(2), result.elapsed());
    }

    @Test
    void shouldBoundTheSendRate() {
        // Given five simultaneous events, unscaled, at most 10 per second
        List<SimEvent> events = List.of(payment("CP-1", Duration.ZERO), payment("CP-2", Duration.ZERO),
                payment("CP-3", Duration.ZERO), payment("CP-4", Duration.ZERO), payment("CP-5", Duration.ZERO));

        // When they are published
        publisher(Pacing.unpaced().withMaxEventsPerSecond(10)).publish(events.iterator(), T0, null);

        // Then they are spaced a tenth of a second apart
        assertEquals(List.of(0L, SECOND_NANOS / 10, 2 * SECOND_NANOS / 10, 3 * SECOND_NANOS / 10, 4 * SECOND_NANOS / 10),
                producer.sentAt);
    }

    @Test
    void shouldStopAtTheRealTimeLimit() {
        // Given events due at 0, 0.5, 1 and 2 real seconds
        List<SimEvent> events = List.of(payment("CP-1", Duration.ZERO), payment("CP-2", Duration.ofMinutes(30)),
                payment("CP-3", Duration.ofMinutes(60)), payment("CP-4", Duration.ofMinutes(120)));

        // When the run may last 1.5 real seconds
        PublishResult result = publisher(Pacing.scaled(3600)).publish(events.iterator(), T0, Duration.ofMillis(1500));

        // Then the first three go out and the run reports that it did not finish
        assertFalse(result.exhausted());
        assertEquals(3, producer.history().size());
        assertEquals(3L, result.acknowledged().get("clearing.payments"));
    }

    @Test
    void shouldStopWhileWaitingForTheNextEvent() {
        // Given a publisher that is stopped (as from another thread) while it waits for the second event
        Publisher publisher = publisher(Pacing.scaled(3600));
        clock.onSleep = publisher::stop;
        List<SimEvent> events = List.of(payment("CP-1", Duration.ZERO), payment("CP-2", Duration.ofMinutes(30)));

        // When it runs
        PublishResult result = publisher.publish(events.iterator(), T0, null);

        // Then it returns without sending the event it was waiting for
        assertFalse(result.exhausted());
        assertEquals(1, producer.history().size());
        assertTrue(producer.flushed());
    }

    @Test
    void shouldConfigureAnIdempotentAllAcksProducerByDefault() {
        // Given / When the producer defaults
        Map<String, Object> defaults = Publisher.producerDefaults();

        // Then no acknowledged record is ever written twice by the producer itself
        assertEquals("all", defaults.get("acks"));
        assertEquals(true, defaults.get("enable.idempotence"));
        assertTrue((Integer) defaults.get("linger.ms") > 0);
    }

    @Test
    void shouldDecodeWhatItEncodesThroughTheRegistry() {
        // Given one payment
        SimEvent event = payment("CP-9", Duration.ZERO);

        // When it is published and decoded with the registry
        publisher(Pacing.unpaced()).publishAll(List.of(event));
        byte[] value = producer.history().get(0).value();

        // Then the Avro body after the 5-byte header decodes to the same record
        assertEquals(event.value(), decode(TopicRole.CLEARING, "clearing.payments", value));
        byte[] header = {value[0], value[1], value[2], value[3], value[4]};
        assertArrayEquals(ByteBuffer.allocate(5).put((byte) 0)
                .putInt(registry.lookupId("clearing.payments-value", ClearingPayment.getClassSchema())).array(), header);
    }

    private static String expectedKey(SpecificRecord value) {
        if (value instanceof CustodyTransaction tx) {
            return tx.getPlatformId();
        }
        if (value instanceof ClearingPayment cp) {
            return cp.getPayerAccountId();
        }
        // registry records: their own id, the first field of each schema
        return value.get(0).toString();
    }

    private Object decode(TopicRole role, String topic, byte[] value) {
        return AvroSerdes.forType(role.valueType(), registry).deserializer().deserialize(topic, value);
    }

    private static long count(List<SimEvent> events, TopicRole role) {
        return events.stream().filter(e -> e.role() == role).count();
    }

}
