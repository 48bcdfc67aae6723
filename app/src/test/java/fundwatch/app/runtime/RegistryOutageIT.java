package fundwatch.app.runtime;

import static fundwatch.app.runtime.ItSupport.NAMES;
import static fundwatch.app.runtime.ItSupport.await;
import static fundwatch.app.runtime.ItSupport.bypass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.FundFlowAlert;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry is down for a while when a record arrives whose schema fundwatch has not seen yet. That
 * is not bad input: the record must wait for the registry (the stream thread fails, is replaced and retries
 * from the last commit), not be dead-lettered, and it is processed once the registry is back.
 */
@Timeout(240)
class RegistryOutageIT {
    static final Duration OUTAGE = Duration.ofSeconds(15);
    @TempDir
    static Path work;
    static TestStack stack;
    static FundwatchRuntime runtime;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 2, true);
        // fundwatch gets its own registry client (its own cache), as in production.
        runtime = new FundwatchRuntime(ItSupport.config(stack.broker.bootstrapServers(), stack.registryProcess.url(),
                "fundwatch-registry-outage-it", work.resolve("state"), 0),
                fundwatch.schemas.registry.RestSchemaRegistryClient.fromConfig(
                        java.util.Map.of("schema.registry.url", stack.registryProcess.url())));
        runtime.start();
        assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)));
        ItSupport.registerPlatformWithGeneralAccount(stack.broker.bootstrapServers(), stack.registry, "P-O", "GEN-O",
                "420100");
        ItSupport.awaitRegistered(runtime.httpPort(), "P-O", "GEN-O");
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

    @Test
    void shouldWaitForTheRegistryRatherThanDeadLetterWhatItCannotYetDecode() throws Exception {
        String topic = NAMES.clearingPayments();
        String bootstrap = stack.broker.bootstrapServers();
        // A newer producer schema (one more optional field), registered now: fundwatch has never fetched its id.
        Schema current = ClearingPayment.getClassSchema();
        String json = current.toString();
        int at = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        Schema newer = new Schema.Parser().parse(json.substring(0, at)
                + "{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null}," + json.substring(at));
        // The producer's own registry client: fundwatch's client must fetch this id itself.
        int newerId = fundwatch.schemas.registry.RestSchemaRegistryClient.fromConfig(
                java.util.Map.of("schema.registry.url", stack.registryProcess.url())).register(topic + "-value", newer);
        byte[] payment = frame(newerId, newer, bypass("PAY-O-1", "CARD-O", "GEN-O", 8_000_000, Instant.now()), newer);

        // Given the registry is down, when that record arrives …
        stack.registryProcess.stop();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> back = clock.schedule(() -> {
            stack.registryProcess.restart();
            return null;
        }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(bootstrap)) {
            p.send(new ProducerRecord<>(topic, "CARD-O", payment)).get();
        }
        back.get(90, TimeUnit.SECONDS);
        clock.shutdownNow();

        // … then once the registry is back the payment is decoded and alerts (the alert's own schema is registered
        // only now, too), and nothing was dead-lettered.
        await(() -> ItSupport.readAlerts(bootstrap, stack.registry).stream()
                .anyMatch(a -> a.getSubjectId().equals("P-O")), Duration.ofSeconds(120));
        List<FundFlowAlert> alerts = ItSupport.readAlerts(bootstrap, stack.registry);
        assertEquals("PAY-O-1", alerts.get(0).getEvidence().get(0).getEventId());
        assertTrue(ItSupport.readRaw(bootstrap, NAMES.deadLetters()).isEmpty(), "no dead letter for a registry outage");
        await(() -> runtime.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(30));
    }

    /** The current-schema record re-encoded with the newer writer schema, framed with its id. */
    private static byte[] frame(int id, Schema schema, ClearingPayment p, Schema writer) throws java.io.IOException {
        GenericRecord r = new GenericData.Record(writer);
        for (Schema.Field f : ClearingPayment.getClassSchema().getFields()) {
            Object v = p.get(f.pos());
            if (v instanceof Enum<?> e) {
                v = new GenericData.EnumSymbol(writer.getField(f.name()).schema(), e.name());
            } else if (v instanceof Instant t) {
                v = t.toEpochMilli();
            }
            r.put(f.name(), v);
        }
        r.put("channel", "BRANCH");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
