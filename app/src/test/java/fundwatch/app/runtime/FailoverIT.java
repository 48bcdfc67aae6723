package fundwatch.app.runtime;

import static fundwatch.app.runtime.ItSupport.NAMES;
import static fundwatch.app.runtime.ItSupport.await;
import static fundwatch.app.runtime.ItSupport.bypass;
import static fundwatch.app.runtime.ItSupport.encode;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share the partitions with one standby replica each. One is killed: the other takes over its
 * tasks, HTTP queries for every platform keep answering (from the standby copy until the rebalance promotes
 * it), and no alert revision is lost.
 */
@Timeout(480)
class FailoverIT {
    static final int PLATFORMS = 6;
    // Kept when the test fails: the two instances' logs (a.log, b.log) are what explains a failure in CI.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
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

    private static FundwatchProcess instance(String name, int port) throws Exception {
        return FundwatchProcess.start(work.resolve(name + ".log"), List.of(
                "--bootstrap.servers=" + broker.bootstrapServers(),
                "--schema.registry.url=" + registryProcess.url(),
                "--application.id=fundwatch-failover-it",
                "--application.server=127.0.0.1:" + port,
                "--state.dir=" + Files.createDirectories(work.resolve("state-" + name)),
                "--http.port=" + port, "--http.bind.address=127.0.0.1",
                "--num.stream.threads=1", "--num.standby.replicas=1", "--topics.partitions=2",
                "--consumer.session.timeout.ms=6000"));
    }

    @Test
    void shouldKeepAnsweringAndLoseNothingWhenOneOfTwoInstancesDies() throws Exception {
        int portA = FundwatchIT.freePort();
        int portB = FundwatchIT.freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (FundwatchProcess a = instance("a", portA); FundwatchProcess b = instance("b", portB)) {
            for (int i = 0; i < PLATFORMS; i++) {
                ItSupport.registerPlatformWithGeneralAccount(broker.bootstrapServers(), registry, "P-F" + i,
                        "GEN-F" + i, "310000");
            }
            // Each instance loads the registry into its own global stores, asynchronously: pay only once both
            // know every platform, or a payment could overtake its account's registration.
            await(() -> registeredOn(http, portA) && registeredOn(http, portB), Duration.ofSeconds(90));
            Instant now = Instant.now();
            pay(now, 1);
            // Both instances answer for every platform, each routing to the owner.
            try {
                // Generous: two instances with standbys share two cores with the broker and registry.
                await(() -> answeredBy(http, portA) == PLATFORMS && answeredBy(http, portB) == PLATFORMS,
                        Duration.ofSeconds(240));
            } catch (AssertionError e) {
                throw new AssertionError("not every platform answered before the kill; last: " + LAST_NOT_READY
                        + "; instance logs in " + work, e);
            }

            FAILURE_BODIES.clear();
            a.kill();
            // Through the failover, B answers every platform query: the owner's (A's) partitions from B's standby.
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int asked = 0;
            Map<Integer, Integer> failures = new TreeMap<>();
            while (System.nanoTime() < until) {
                for (int i = 0; i < PLATFORMS; i++) {
                    int status = status(http, portB, "/platforms/P-F" + i);
                    asked++;
                    if (status != 200) {
                        failures.merge(status, 1, Integer::sum);
                    }
                }
            }
            assertTrue(failures.isEmpty(), "of " + asked + " queries after the kill, non-200 answers: " + failures + " " + FAILURE_BODIES);

            // Money keeps moving: B, now active for everything, emits each platform's revision 2.
            pay(now.plusSeconds(60), 2);
            await(() -> revisionsPerPlatform().values().stream().allMatch(r -> r.equals(List.of(1, 2)))
                    && revisionsPerPlatform().size() == PLATFORMS, Duration.ofSeconds(120));
        }
    }

    private static void pay(Instant at, int round) throws Exception {
        String topic = NAMES.clearingPayments();
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            for (int i = 0; i < PLATFORMS; i++) {
                // Doubling each round: every payment is one new revision.
                p.send(new ProducerRecord<>(topic, "CARD-F" + i, encode(registry, topic,
                        bypass("PAY-F" + i + "-" + round, "CARD-F" + i, "GEN-F" + i, 1_000_000L << round, at))));
            }
        }
    }

    static volatile String LAST_NOT_READY = "";

    private static boolean registeredOn(HttpClient http, int port) throws Exception {
        for (int i = 0; i < PLATFORMS; i++) {
            ItSupport.awaitRegistered(port, "P-F" + i, "GEN-F" + i);
        }
        return true;
    }

    private static int answeredBy(HttpClient http, int port) throws Exception {
        int ok = 0;
        for (int i = 0; i < PLATFORMS; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/platforms/P-F" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"openFindings\":1")) {
                ok++;
            } else {
                LAST_NOT_READY = port + " P-F" + i + " -> " + r.statusCode() + " "
                        + r.body().substring(0, Math.min(300, r.body().length()));
            }
        }
        return ok;
    }

    private static final List<String> FAILURE_BODIES = new ArrayList<>();

    private static int status(HttpClient http, int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && FAILURE_BODIES.size() < 3) {
                FAILURE_BODIES.add(path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Map<String, List<Integer>> revisionsPerPlatform() {
        Map<String, List<Integer>> m = new TreeMap<>();
        for (FundFlowAlert alert : ItSupport.readAlerts(broker.bootstrapServers(), registry)) {
            m.computeIfAbsent(alert.getSubjectId(), k -> new ArrayList<>()).add(alert.getRevision());
        }
        return m;
    }
}
