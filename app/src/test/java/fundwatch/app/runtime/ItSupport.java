package fundwatch.app.runtime;

import fundwatch.app.config.FundwatchConfig;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the real-broker tests share: a producer of contract records, readers, waiting on conditions. */
final class ItSupport {
    static final TopicNames NAMES = TopicNames.defaults();

    private ItSupport() {
    }

    static FundwatchConfig config(String bootstrap, String registryUrl, String appId, Path state, int httpPort)
            throws java.io.IOException {
        return FundwatchConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", bootstrap,
                "schema.registry.url", registryUrl,
                "application.id", appId,
                "state.dir", Files.createDirectories(state).toString(),
                "http.port", String.valueOf(httpPort),
                "http.bind.address", "127.0.0.1",
                "num.stream.threads", "1",
                "topics.partitions", "2"));
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    static <T extends org.apache.avro.specific.SpecificRecord> byte[] encode(SchemaRegistryClient registry,
            String topic, T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        return AvroSerdes.forType(type, registry).serializer().serialize(topic, record);
    }

    /** Registers a P2P platform with a general account and waits until fundwatch has loaded the account. */
    static void registerPlatformWithGeneralAccount(String bootstrap, SchemaRegistryClient registry, String platformId,
            String accountId, String region) throws Exception {
        Platform platform = Platform.newBuilder().setPlatformId(platformId).setName("Platform " + platformId)
                .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).setRegionCode(region).build();
        AccountRegistration general = AccountRegistration.newBuilder().setAccountId(accountId).setBankId("B-1")
                .setPlatformId(platformId).setPurpose(AccountPurpose.PLATFORM_GENERAL).build();
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            // The account first: the wait below is on it, and the platform follows close behind.
            p.send(new ProducerRecord<>(NAMES.accounts(), accountId, encode(registry, NAMES.accounts(), general)));
            p.send(new ProducerRecord<>(NAMES.platforms(), platformId, encode(registry, NAMES.platforms(), platform)));
        }
        await(() -> readRaw(bootstrap, NAMES.validated(NAMES.accounts())).stream()
                .anyMatch(r -> accountId.equals(new String(r.key(), StandardCharsets.UTF_8))), Duration.ofSeconds(60));
    }

    /**
     * Waits until the instance serving {@code httpPort} has the platform and its account in its global stores: the
     * registry reaches each instance asynchronously, and a payment that overtakes its account's registration
     * would be judged as between unregistered accounts.
     */
    static void awaitRegistered(int httpPort, String platformId, String accountId) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await(() -> {
            try {
                java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/platforms/" + platformId)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                // Both halves of the registry: the platform, and the account the payments will name.
                return r.statusCode() == 200 && r.body().contains("\"accountId\":\"" + accountId + "\"");
            } catch (java.io.IOException notListeningYet) {
                return false;
            }
        }, Duration.ofSeconds(90));
    }

    /** An individual's payment into a platform's general account: custody bypass. */
    static ClearingPayment bypass(String paymentId, String payer, String generalAccount, long amountMinor,
            Instant at) {
        return ClearingPayment.newBuilder().setPaymentId(paymentId).setClearingHouse("NUCC")
                .setPayerAccountId(payer).setPayerBankId("B-2").setPayerPartyType(PartyType.INDIVIDUAL)
                .setPayeeAccountId(generalAccount).setPayeeBankId("B-1").setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(amountMinor).setCurrency("CNY").setEventTime(at).build();
    }

    static List<FundFlowAlert> readAlerts(String bootstrap, SchemaRegistryClient registry) {
        List<FundFlowAlert> out = new ArrayList<>();
        read(bootstrap, NAMES.alerts(), new StringDeserializer(),
                AvroSerdes.forType(FundFlowAlert.class, registry).deserializer()).forEach(r -> out.add(r.value()));
        return out;
    }

    static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrap, String topic) {
        return read(bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Everything committed on the topic now: polls until three empty polls in a row (bounded). */
    static <K, V> List<ConsumerRecord<K, V>> read(String bootstrap, String topic, Deserializer<K> keys,
            Deserializer<V> values) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 3) {
                var batch = c.poll(Duration.ofMillis(400));
                if (batch.isEmpty() && !c.assignment().isEmpty()) {
                    empty++;
                }
                batch.forEach(out::add);
            }
        }
        return out;
    }

    static long countRaw(String bootstrap, String topic,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        return readRaw(bootstrap, topic).stream().filter(matching).count();
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static void await(Callable<Boolean> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            // Poll interval between checks of the condition, not a guess at how long something takes.
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
