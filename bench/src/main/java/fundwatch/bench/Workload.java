package fundwatch.bench;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.SimEvent;
import fundwatch.simulator.TopicRole;
import fundwatch.topology.catalog.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Everything the benchmark sends, encoded before anything is measured: the simulated market's registry plus the
 * benchmark's own bypass platforms, N market events (custody, clearing, product registrations), and the open loop's
 * stampable templates.
 */
final class Workload {
    static final int TEMPLATES = 20_000;
    static final String BENCH_PLATFORM_PREFIX = "PB";

    final List<String> topics;
    final EncodedBatch registry = new EncodedBatch();
    EncodedBatch events = new EncodedBatch();
    final OpenLoopTemplates templates;
    final List<String> benchPlatforms = new ArrayList<>();
    private final Map<TopicRole, Serializer<SpecificRecord>> serializers = new EnumMap<>(TopicRole.class);
    private final Map<TopicRole, Deserializer<? extends SpecificRecord>> deserializers = new EnumMap<>(TopicRole.class);
    private final Map<String, Object> described = new LinkedHashMap<>();

    private Workload(TopicNames names, SchemaRegistryClient registry) {
        Map<TopicRole, String> byRole = new EnumMap<>(TopicRole.class);
        byRole.put(TopicRole.CUSTODY, names.custodyTransactions());
        byRole.put(TopicRole.CLEARING, names.clearingPayments());
        byRole.put(TopicRole.PLATFORMS, names.platforms());
        byRole.put(TopicRole.ACCOUNTS, names.accounts());
        byRole.put(TopicRole.PRODUCTS, names.products());
        byRole.put(TopicRole.RATES, names.rates());
        byRole.put(TopicRole.RULES, names.rules());
        List<String> t = new ArrayList<>();
        for (TopicRole role : TopicRole.values()) {
            t.add(byRole.get(role));
            serializers.put(role, serializer(role.valueType(), registry));
            deserializers.put(role, AvroSerdes.forType(role.valueType(), registry).deserializer());
        }
        this.topics = List.copyOf(t);
        this.templates = new OpenLoopTemplates(System.currentTimeMillis());
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serializer<SpecificRecord> serializer(Class<T> type,
                                                                                    SchemaRegistryClient registry) {
        return (Serializer<SpecificRecord>) (Serializer<?>) AvroSerdes.forType(type, registry).serializer();
    }

    /**
     * @param days            simulated span, ending now, so that no event is "from the future"
     * @param honestPlatforms market size; a bigger market gives more events per simulated day
     * @param bypassPlatforms extra registered P2P platforms that the open loop's bypass payments go to
     */
    static Workload generate(TopicNames names, SchemaRegistryClient registry, int eventCount, int days,
                             int honestPlatforms, long seed, int bypassPlatforms) {
        long t0 = System.nanoTime();
        Workload w = new Workload(names, registry);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MarketConfig config = MarketConfig.builder().seed(seed).honestPlatforms(honestPlatforms)
                .start(now.minus(Duration.ofDays(days))).simulatedDays(days).build();
        MarketSimulator market = new MarketSimulator(config);
        for (SimEvent e : market.registry()) {
            w.add(w.registry, e);
        }
        w.addBenchPlatforms(bypassPlatforms, now.minus(Duration.ofDays(days + 1L)));
        Iterator<SimEvent> it = market.events();
        long lastEventTime = 0;
        int templates = 0;
        while (w.events.size() < eventCount && it.hasNext()) {
            SimEvent e = it.next();
            w.add(w.events, e);
            lastEventTime = Math.max(lastEventTime, e.eventTimeMillis());
            if (templates < TEMPLATES && (e.role() == TopicRole.CUSTODY || e.role() == TopicRole.CLEARING)) {
                SimEvent t = new SimEvent(e.role(), e.key(),
                        OpenLoopTemplates.placeholder(e.value(), w.templates.sentinel()), e.eventTimeMillis());
                w.templates.add(e.role().ordinal(), key(t), w.encode(t));
                templates++;
            }
        }
        if (w.events.size() < eventCount) {
            throw new TooSmallException("the simulated market (" + days + " days, " + honestPlatforms
                    + " honest platforms) has only " + w.events.size() + " events");
        }
        // Proves the byte surgery on a real record before the open loop relies on it.
        OpenLoopTemplates.Template t = w.templates.template(0);
        long stampTime = System.currentTimeMillis();
        OpenLoopTemplates.verify(OpenLoopTemplates.stamp(t, 12_345, stampTime), w.decoder(t.topicIndex()),
                12_345, stampTime);
        w.described.put("simulatedDays", days);
        w.described.put("honestPlatforms", honestPlatforms);
        w.described.put("simulatedSpanUsedHours", Math.round((lastEventTime - config.start().toEpochMilli()) / 36e5));
        w.described.put("registryRecords", w.registry.size());
        w.described.put("eventRecords", w.events.size());
        w.described.put("eventBytes", w.events.bytes());
        w.described.put("benchBypassPlatforms", bypassPlatforms);
        w.described.put("openLoopTemplates", w.templates.size());
        w.described.put("generationSeconds", Main.round((System.nanoTime() - t0) / 1e9));
        return w;
    }

    private void addBenchPlatforms(int count, Instant registeredAt) {
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%05d", BENCH_PLATFORM_PREFIX, i);
            benchPlatforms.add(id);
            Platform p = Platform.newBuilder().setPlatformId(id).setName("Bench platform " + i)
                    .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setCustodianId("BANK-BENCH-CUSTODY")
                    .setStatus(PlatformStatus.ACTIVE).setRegisteredAt(registeredAt).setRegionCode("110000").build();
            add(registry, new SimEvent(TopicRole.PLATFORMS, id, p, registeredAt.toEpochMilli()));
        }
        for (String id : benchPlatforms) {
            AccountRegistration a = AccountRegistration.newBuilder().setAccountId(generalAccount(id))
                    .setBankId("BANK-BENCH").setPlatformId(id).setHolderPartyId(id + "-CORP")
                    .setPurpose(AccountPurpose.PLATFORM_GENERAL).build();
            add(registry, new SimEvent(TopicRole.ACCOUNTS, a.getAccountId(), a, registeredAt.toEpochMilli()));
        }
    }

    static String generalAccount(String platformId) {
        return platformId + "-GENERAL";
    }

    private void add(EncodedBatch batch, SimEvent e) {
        batch.add(e.role().ordinal(), key(e), encode(e));
    }

    byte[] encode(SimEvent e) {
        return e.value() == null ? new byte[0]
                : serializers.get(e.role()).serialize(topics.get(e.role().ordinal()), e.value());
    }

    byte[] encode(TopicRole role, SpecificRecord value) {
        return serializers.get(role).serialize(topics.get(role.ordinal()), value);
    }

    Function<byte[], SpecificRecord> decoder(int topicIndex) {
        TopicRole role = TopicRole.values()[topicIndex];
        return bytes -> deserializers.get(role).deserialize(topics.get(topicIndex), bytes);
    }

    private static byte[] key(SimEvent e) {
        return e.key().getBytes(StandardCharsets.UTF_8);
    }

    /** The replay events are sent once; the heap they use is the app's during the measured replay. */
    void releaseEvents() {
        events = null;
    }

    static final class TooSmallException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooSmallException(String message) {
            super(message);
        }
    }

    Map<String, Object> describe() {
        return described;
    }
}
