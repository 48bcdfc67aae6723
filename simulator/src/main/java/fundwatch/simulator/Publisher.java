package fundwatch.simulator;

import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a simulated market into Kafka as the banks, the clearing network and the registry
 * would: keys as UTF-8 strings, values in the Confluent wire format through {@link AvroSerdes}, so
 * each value schema is registered under {@code <topic>-value} exactly as a real producer's would be.
 *
 * <p>Pacing replays simulated time against real time ({@link Pacing#timeScale()}) and can bound the
 * send rate. The Kafka record timestamp is left to the producer (send time): CONTRACT.md takes event
 * time from the value, and old simulated timestamps would fall straight out of topic retention.
 *
 * <p>A publisher runs on one thread; {@link #stop()} and {@link #acknowledged()} may be called from
 * any other. Stopping is final.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final String REGISTRY_PREFIX = "schema.registry.";
    /** Registry-client keys that RestSchemaRegistryClient also reads without the prefix; not for the producer. */
    private static final Set<String> REGISTRY_KEYS = Set.of(
            RestSchemaRegistryClient.USER_INFO_CONFIG,
            RestSchemaRegistryClient.CONNECT_TIMEOUT_MS_CONFIG,
            RestSchemaRegistryClient.READ_TIMEOUT_MS_CONFIG,
            RestSchemaRegistryClient.MAX_RETRIES_CONFIG,
            RestSchemaRegistryClient.RETRIES_WAIT_MS_CONFIG,
            RestSchemaRegistryClient.RETRIES_MAX_WAIT_MS_CONFIG);

    /** Real time, substituted in tests so that pacing is checked without sleeping. */
    interface Clock {
        long nanoTime();

        /** Waits up to {@code nanos}; may return early when the publisher is stopped. */
        void sleepNanos(long nanos) throws InterruptedException;
    }

    @FunctionalInterface
    private interface ValueEncoder {
        byte[] encode(String topic, SpecificRecord value);
    }

    private final Producer<String, byte[]> producer;
    private final Map<TopicRole, String> topics;
    private final Map<TopicRole, ValueEncoder> encoders = new EnumMap<>(TopicRole.class);
    private final Pacing pacing;
    private final Clock clock;
    private final AtomicLongArray acked = new AtomicLongArray(TopicRole.values().length);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopped;

    /**
     * @param producer a producer of UTF-8 keys and already-encoded values; closed by {@link #close()}
     * @param registry where value schemas are registered
     * @param topics   topic name per role; roles not given fall back to CONTRACT.md's names
     */
    public Publisher(Producer<String, byte[]> producer, SchemaRegistryClient registry,
                     Map<TopicRole, String> topics, Pacing pacing) {
        this(producer, registry, topics, pacing, null);
    }

    Publisher(Producer<String, byte[]> producer, SchemaRegistryClient registry, Map<TopicRole, String> topics,
              Pacing pacing, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(registry, "registry");
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        EnumMap<TopicRole, String> resolved = new EnumMap<>(TopicRole.defaultTopics());
        resolved.putAll(topics);
        this.topics = Collections.unmodifiableMap(resolved);
        for (TopicRole role : TopicRole.values()) {
            encoders.put(role, encoder(role.valueType(), registry));
        }
        this.clock = clock != null ? clock : new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                stopSignal.await(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    /**
     * A publisher with its own {@link KafkaProducer}. {@code producerConfig} must name
     * {@code bootstrap.servers}; it may override the defaults of {@link #producerDefaults()}.
     */
    public static Publisher create(Map<String, ?> producerConfig, SchemaRegistryClient registry,
                                   Map<TopicRole, String> topics, Pacing pacing) {
        Map<String, Object> props = new HashMap<>(producerConfig);
        producerDefaults().forEach(props::putIfAbsent);
        return new Publisher(new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
                registry, topics, pacing);
    }

    /**
     * A publisher from one flat client config: {@code schema.registry.*} keys (and the unprefixed
     * registry keys {@link RestSchemaRegistryClient#fromConfig} reads) configure the registry client,
     * all others the producer.
     */
    public static Publisher fromConfig(Map<String, ?> config, Map<TopicRole, String> topics, Pacing pacing) {
        Map<String, Object> producerConfig = new HashMap<>();
        config.forEach((k, v) -> {
            if (!k.startsWith(REGISTRY_PREFIX) && !REGISTRY_KEYS.contains(k)) {
                producerConfig.put(k, v);
            }
        });
        return create(producerConfig, RestSchemaRegistryClient.fromConfig(config), topics, pacing);
    }

    /**
     * Idempotent producer, acks from all in-sync replicas, a few ms of linger to batch: a redelivered
     * batch never doubles a record, so the only duplicates downstream are the simulator's own.
     */
    public static Map<String, Object> producerDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(ProducerConfig.ACKS_CONFIG, "all");
        d.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        d.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        d.put(ProducerConfig.CLIENT_ID_CONFIG, "fundwatch-simulator");
        return d;
    }

    public Map<TopicRole, String> topics() {
        return topics;
    }

    /**
     * The registry first (unpaced, flushed, so that detectors know platforms and accounts before
     * money moves), then the market's events paced from its simulated start.
     *
     * @param maxRealTime stop after this much real time; {@code null} for no limit
     */
    public PublishResult publishMarket(MarketSimulator market, Duration maxRealTime) {
        return publishMarket(market, market.config().start(), maxRealTime);
    }

    /**
     * The registry, then the market's events paced from {@code pacedFrom}: everything before it is history, sent
     * as fast as the producer takes it (a demo's weeks of backfill), everything after it is replayed in scaled time.
     */
    public PublishResult publishMarket(MarketSimulator market, Instant pacedFrom, Duration maxRealTime) {
        long begin = clock.nanoTime();
        Map<String, Long> before = snapshot();
        PublishResult registry = publishAll(market.registry());
        if (!registry.exhausted()) {
            return new PublishResult(diff(before), false, Duration.ofNanos(clock.nanoTime() - begin));
        }
        Duration left = maxRealTime == null ? null : maxRealTime.minusNanos(clock.nanoTime() - begin);
        PublishResult events = publish(market.events(), pacedFrom, left);
        return new PublishResult(diff(before), events.exhausted(), Duration.ofNanos(clock.nanoTime() - begin));
    }

    /** Sends every record at once, without pacing (registry entries, rules, tombstones). */
    public PublishResult publishAll(Iterable<SimEvent> records) {
        return run(records.iterator(), null, null);
    }

    /**
     * Sends {@code events} paced from {@code simulatedStart}: an event is due when real time since
     * the call has caught up with its event time since {@code simulatedStart}, divided by the time
     * scale. Events at or before {@code simulatedStart} (and late ones) go at once.
     *
     * @param maxRealTime stop after this much real time; {@code null} for no limit
     */
    public PublishResult publish(Iterator<SimEvent> events, Instant simulatedStart, Duration maxRealTime) {
        return run(events, Objects.requireNonNull(simulatedStart, "simulatedStart"), maxRealTime);
    }

    private PublishResult run(Iterator<SimEvent> events, Instant simulatedStart, Duration maxRealTime) {
        long begin = clock.nanoTime();
        long deadline = maxRealTime == null ? Long.MAX_VALUE : saturatedAdd(begin, maxRealTime.toNanos());
        long anchor = simulatedStart == null ? Long.MIN_VALUE : simulatedStart.toEpochMilli();
        boolean paced = simulatedStart != null && pacing.isPaced();
        double slotNanos = pacing.maxEventsPerSecond() > 0 ? 1e9 / pacing.maxEventsPerSecond() : 0;
        double nextSlot = begin;
        Map<String, Long> before = snapshot();
        boolean exhausted = false;
        try {
            while (!stopped && clock.nanoTime() < deadline) {
                if (!events.hasNext()) {
                    exhausted = true;
                    break;
                }
                SimEvent event = events.next();
                if (paced) {
                    long due = Math.max(dueBySimulatedTime(begin, anchor, event), (long) nextSlot);
                    if (due > deadline) {
                        break;
                    }
                    long now = clock.nanoTime();
                    if (due > now) {
                        clock.sleepNanos(due - now);
                        if (stopped) {
                            break;
                        }
                    }
                }
                send(event);
                if (slotNanos > 0) {
                    nextSlot = Math.max(nextSlot, clock.nanoTime()) + slotNanos;
                }
                throwIfFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.flush();
        }
        throwIfFailed();
        PublishResult result = new PublishResult(diff(before), exhausted, Duration.ofNanos(clock.nanoTime() - begin));
        LOG.info("published {} records in {} ({}): {}", result.total(), result.elapsed(),
                exhausted ? "input exhausted" : "stopped", result.acknowledged());
        return result;
    }

    private long dueBySimulatedTime(long begin, long anchor, SimEvent event) {
        if (pacing.timeScale() <= 0 || event.eventTimeMillis() <= anchor) {
            return begin;
        }
        double realNanos = (event.eventTimeMillis() - anchor) * 1e6 / pacing.timeScale();
        return saturatedAdd(begin, (long) Math.min(realNanos, Long.MAX_VALUE / 2.0));
    }

    private void send(SimEvent event) {
        TopicRole role = event.role();
        String topic = topics.get(role);
        byte[] value = event.value() == null ? null : encoders.get(role).encode(topic, event.value());
        producer.send(new ProducerRecord<>(topic, event.key(), value), (metadata, exception) -> {
            if (exception == null) {
                acked.incrementAndGet(role.ordinal());
            } else {
                failure.compareAndSet(null, exception);
            }
        });
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    /** Stops a running or future publish at the next record; it returns after flushing what was sent. */
    public void stop() {
        stopped = true;
        stopSignal.countDown();
    }

    /** Records acknowledged so far by this publisher, per topic name. */
    public Map<String, Long> acknowledged() {
        return snapshot();
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TopicRole role : TopicRole.values()) {
            out.merge(topics.get(role), acked.get(role.ordinal()), Long::sum);
        }
        return out;
    }

    private Map<String, Long> diff(Map<String, Long> before) {
        Map<String, Long> now = snapshot();
        now.replaceAll((topic, count) -> count - before.getOrDefault(topic, 0L));
        return now;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static <T extends SpecificRecord> ValueEncoder encoder(Class<T> type, SchemaRegistryClient registry) {
        Serializer<T> serializer = AvroSerdes.forType(type, registry).serializer();
        return (topic, value) -> serializer.serialize(topic, type.cast(value));
    }

    @Override
    public void close() {
        stop();
        producer.close();
    }

    /** A record could not be delivered; the run stops at the first such failure. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
