package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: fundwatch runs as its own JVM, is killed with SIGKILL while payments stream in,
 * and restarts on the same state dir. The alert topic, read committed, must then hold every (alertId,
 * revision) the input implies — each exactly once, revisions 1..n without a gap.
 */
@Timeout(420)
class CrashRestartIT {
    static final int PLATFORMS = 24;
    /**
     * One day window: the test compresses event time, and a restart's catch-up interleaves input partitions, so
     * payments spread over several days could legitimately fall behind a closed window's grace period.
     */
    static final int DAYS = 1;
    /** Each payment doubles the day's amount: every one is a material change, i.e. exactly one revision. */
    static final int PAYMENTS_PER_DAY = 8;
    static final TopicNames NAMES = TopicNames.defaults();

    @TempDir
    static Path work;
    static TestStack stack;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registryProcess;
    static SchemaRegistryClient registry;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = TestStack.start(work, 3);
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
    void shouldNeitherDuplicateNorLoseAnAlertRevisionWhenKilledMidStream() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int killAfterAlerts = 20 + random.nextInt(100);
        System.err.println("CrashRestartIT seed " + seed + ": kill after " + killAfterAlerts + " alerts");
        Path state = Files.createDirectories(work.resolve("state"));
        Path log = work.resolve("fundwatch.log");

        int httpPort = FundwatchIT.freePort();
        FundwatchProcess app = startFundwatch(state, log, httpPort);
        publishRegistry();
        // Money moves only once fundwatch knows every platform: otherwise an early payment would be judged as
        // between unregistered accounts, and the expected revisions would not exist (seen on a loaded machine).
        for (int i = 0; i < PLATFORMS; i++) {
            ItSupport.awaitRegistered(httpPort, "P-C" + i, "GEN-C" + i);
        }
        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> publishPayments(sent), "crash-it-producer");
        producer.start();

        // Kill it, without any shutdown, once some alerts are committed and payments are still flowing.
        awaitAlerts(killAfterAlerts, Duration.ofSeconds(120));
        app.kill();
        int sentAtKill = sent.get();
        app = startFundwatch(state, log, httpPort);
        producer.join();
        try {
            int expected = PLATFORMS * DAYS * PAYMENTS_PER_DAY;
            assertTrue(sentAtKill < expected, "the kill happened mid-stream (" + sentAtKill + " of " + expected + ")");
            List<FundFlowAlert> alerts = awaitAlerts(expected, Duration.ofSeconds(240));

            Map<String, List<Integer>> revisions = new TreeMap<>();
            alerts.forEach(a -> revisions.computeIfAbsent(a.getAlertId(), k -> new ArrayList<>()).add(a.getRevision()));
            assertEquals(PLATFORMS * DAYS, revisions.size(), "one alert per platform and day");
            revisions.forEach((id, revs) -> {
                List<Integer> sorted = new ArrayList<>(new TreeSet<>(revs));
                assertEquals(revs.size(), sorted.size(), "no duplicate revision of " + id + ": " + revs);
                for (int i = 0; i < sorted.size(); i++) {
                    assertEquals(i + 1, sorted.get(i), "revisions of " + id + " have no gap: " + sorted);
                }
                assertEquals(PAYMENTS_PER_DAY, sorted.size(), "every payment of " + id + " was one revision");
            });
        } finally {
            app.close();
        }
    }

    private static FundwatchProcess startFundwatch(Path state, Path log, int httpPort) throws Exception {
        return FundwatchProcess.start(log, List.of(
                "--bootstrap.servers=" + broker.bootstrapServers(),
                "--schema.registry.url=" + registryProcess.url(),
                "--application.id=fundwatch-crash-it",
                "--state.dir=" + state,
                "--http.port=" + httpPort,
                "--http.bind.address=127.0.0.1",
                "--num.stream.threads=1",
                "--topics.partitions=3",
                // A restarted member rejoins quickly; the fenced zombie's transaction is aborted on restart.
                "--consumer.session.timeout.ms=10000"));
    }

    private static void publishRegistry() throws Exception {
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            Serializer<Platform> platforms = AvroSerdes.forType(Platform.class, registry).serializer();
            Serializer<AccountRegistration> accounts = AvroSerdes.forType(AccountRegistration.class, registry)
                    .serializer();
            for (int i = 0; i < PLATFORMS; i++) {
                String id = "P-C" + i;
                p.send(new ProducerRecord<>(NAMES.platforms(), id, platforms.serialize(NAMES.platforms(),
                        Platform.newBuilder().setPlatformId(id).setName(id).setKind(PlatformKind.P2P_LENDING)
                                .setLicensed(true).setStatus(PlatformStatus.ACTIVE)
                                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).setRegionCode("110000")
                                .build())));
                p.send(new ProducerRecord<>(NAMES.accounts(), "GEN-C" + i, accounts.serialize(NAMES.accounts(),
                        AccountRegistration.newBuilder().setAccountId("GEN-C" + i).setBankId("B-1")
                                .setPlatformId(id).setPurpose(AccountPurpose.PLATFORM_GENERAL).build())));
            }
        }
    }

    /**
     * One round (a payment to every platform) every 1.5 s, paced by a scheduler so that the stream spans the
     * kill.
     */
    private static void publishPayments(AtomicInteger sent) {
        Instant firstDay = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(DAYS));
        Serializer<ClearingPayment> payments = AvroSerdes.forType(ClearingPayment.class, registry).serializer();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch done = new CountDownLatch(DAYS * PAYMENTS_PER_DAY);
        AtomicInteger round = new AtomicInteger();
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(broker.bootstrapServers())) {
            pacer.scheduleAtFixedRate(() -> {
                int r = round.getAndIncrement();
                if (r >= DAYS * PAYMENTS_PER_DAY) {
                    return;
                }
                int day = r / PAYMENTS_PER_DAY;
                int k = r % PAYMENTS_PER_DAY;
                for (int i = 0; i < PLATFORMS; i++) {
                    Instant at = firstDay.plus(Duration.ofDays(day)).plus(Duration.ofHours(4 + k));
                    // One payer per platform: its payments stay in order through one input partition, so each
                    // doubles the day's amount when processed — exactly one revision each, on any run.
                    String payer = "CARD-" + i;
                    ClearingPayment payment = ClearingPayment.newBuilder()
                            .setPaymentId("PAY-" + i + "-" + day + "-" + k).setClearingHouse("NUCC")
                            .setPayerAccountId(payer).setPayerBankId("B-2").setPayerPartyType(PartyType.INDIVIDUAL)
                            .setPayeeAccountId("GEN-C" + i).setPayeeBankId("B-1")
                            .setPayeePartyType(PartyType.CORPORATE).setAmountMinor(100_000L << k)
                            .setCurrency("CNY").setEventTime(at).build();
                    p.send(new ProducerRecord<>(NAMES.clearingPayments(), payer,
                            payments.serialize(NAMES.clearingPayments(), payment)));
                    sent.incrementAndGet();
                }
                p.flush();
                done.countDown();
            }, 0, 1_500, TimeUnit.MILLISECONDS);
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("payments not all sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pacer.shutdownNow();
        }
    }

    /** Reads the whole alert topic, read committed, until it holds at least {@code n} records. */
    private static List<FundFlowAlert> awaitAlerts(int n, Duration timeout) {
        List<FundFlowAlert> alerts = new ArrayList<>();
        Map<String, Object> cfg = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, FundFlowAlert> c = new KafkaConsumer<>(cfg, new StringDeserializer(),
                AvroSerdes.forType(FundFlowAlert.class, registry).deserializer())) {
            c.subscribe(List.of(NAMES.alerts()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (alerts.size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + alerts.size() + " of " + n + " alert revisions in " + timeout);
                }
                for (ConsumerRecord<String, FundFlowAlert> r : c.poll(Duration.ofMillis(500))) {
                    alerts.add(r.value());
                }
            }
            // Anything beyond n would be a duplicate: read a little longer to catch it.
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                c.poll(Duration.ofMillis(500)).forEach(r -> alerts.add(r.value()));
            }
        }
        return alerts;
    }
}
