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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to `fundwatch run`: the open transaction commits and the process exits 0 within 30 s. */
@Timeout(180)
class GracefulShutdownIT {
    @TempDir
    static Path work;
    static TestStack stack;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registryProcess;
    static SchemaRegistryClient registry;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 2);
        broker = stack.broker;
        registryProcess = stack.registryProcess;
        registry = stack.registry;
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldCommitAndExitZeroWithinThirtySecondsOnSigterm() throws Exception {
        Path log = work.resolve("fundwatch.log");
        try (FundwatchProcess app = FundwatchProcess.start(log, List.of(
                "--bootstrap.servers=" + broker.bootstrapServers(),
                "--schema.registry.url=" + registryProcess.url(),
                "--application.id=fundwatch-shutdown-it",
                "--state.dir=" + Files.createDirectories(work.resolve("state")),
                "--http.port=0", "--http.bind.address=127.0.0.1", "--topics.partitions=2"))) {
            ItSupport.registerPlatformWithGeneralAccount(broker.bootstrapServers(), registry, "P-S", "GEN-S", "500000");
            String topic = NAMES.clearingPayments();
            try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
                p.send(new ProducerRecord<>(topic, "CARD-S", encode(registry, topic,
                        bypass("PAY-S-1", "CARD-S", "GEN-S", 10_000_000, Instant.now())))).get();
            }
            await(() -> !ItSupport.readAlerts(broker.bootstrapServers(), registry).isEmpty(), Duration.ofSeconds(90));

            long start = System.nanoTime();
            int code = app.terminate(Duration.ofSeconds(30));
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(0, code, "exit code on SIGTERM (-1: still running after 30 s); see " + log);
            assertTrue(tookMs < 30_000, "stopped in " + tookMs + " ms");
            assertTrue(Files.readString(log).contains("fundwatch: stopping"), "an orderly stop, not a kill");
        }
        List<FundFlowAlert> alerts = ItSupport.readAlerts(broker.bootstrapServers(), registry);
        assertEquals(1, alerts.size(), "the alert stays committed, exactly once");
    }
}
