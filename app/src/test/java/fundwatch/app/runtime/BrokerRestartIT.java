package fundwatch.app.runtime;

import static fundwatch.app.runtime.ItSupport.NAMES;
import static fundwatch.app.runtime.ItSupport.await;
import static fundwatch.app.runtime.ItSupport.bypass;
import static fundwatch.app.runtime.ItSupport.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker stops for 20 seconds and comes back: fundwatch recovers by itself and loses nothing. */
@Timeout(240)
class BrokerRestartIT {
    static final Duration OUTAGE = Duration.ofSeconds(20);
    @TempDir
    static Path work;
    static TestStack stack;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registryProcess;
    static SchemaRegistryClient registry;
    static FundwatchRuntime runtime;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 2);
        broker = stack.broker;
        registryProcess = stack.registryProcess;
        registry = stack.registry;
        runtime = new FundwatchRuntime(ItSupport.config(broker.bootstrapServers(), registryProcess.url(),
                "fundwatch-broker-restart-it", work.resolve("state"), 0), registry);
        runtime.start();
        assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)));
        ItSupport.registerPlatformWithGeneralAccount(broker.bootstrapServers(), registry, "P-R", "GEN-R", "120000");
        ItSupport.awaitRegistered(runtime.httpPort(), "P-R", "GEN-R");
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
    void shouldRecoverFromABrokerOutageWithoutOperatorActionOrLoss() throws Exception {
        Instant now = Instant.now();
        String topic = NAMES.clearingPayments();
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            p.send(new ProducerRecord<>(topic, "CARD-R", encode(registry, topic,
                    bypass("PAY-R-1", "CARD-R", "GEN-R", 10_000_000, now)))).get();
        }
        await(() -> revisions().equals(List.of(1)), Duration.ofSeconds(60));

        // Given the broker goes away for 20 s, with a payment produced while it is down …
        broker.stop();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> back = clock.schedule(() -> {
            broker.restart();
            return null;
        }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            // … which the producer buffers and delivers once the broker is back.
            p.send(new ProducerRecord<>(topic, "CARD-R", encode(registry, topic,
                    bypass("PAY-R-2", "CARD-R", "GEN-R", 20_000_000, now.plusSeconds(60)))));
            back.get(60, TimeUnit.SECONDS);
            p.flush();
        } finally {
            clock.shutdownNow();
        }

        // Then fundwatch picks up where it was, and the second payment becomes revision 2.
        await(() -> revisions().equals(List.of(1, 2)), Duration.ofSeconds(120));
        await(() -> runtime.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(30));
        FundFlowAlert last = ItSupport.readAlerts(broker.bootstrapServers(), registry).get(1);
        assertEquals(30_000_000d, last.getMetrics().get("bypassAmountMinor"), "both payments, once each");
    }

    private static List<Integer> revisions() {
        List<Integer> revs = new ArrayList<>();
        ItSupport.readAlerts(broker.bootstrapServers(), registry).forEach(a -> revs.add(a.getRevision()));
        return revs;
    }
}
