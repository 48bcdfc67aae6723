package fundwatch.topology.ingest;

import fundwatch.topology.support.FundwatchMetrics;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * First stop of every input record: validate against the contract, then drop redeliveries by event id.
 * Invalid records throw {@link InvalidRecordException}; the processing exception handler dead-letters them.
 * Duplicates are remembered for a bounded event-time span (a window store whose old segments are dropped
 * whole), so dedup state does not grow with the history of the feed.
 */
public final class IngestProcessor<V> implements FixedKeyProcessor<String, V, V> {
    /** How one record type is validated and identified. */
    public interface Rules<V> {
        void validate(V value, long nowMillis);

        /** Checks that also need the record's key; by default the value alone decides. */
        default void validate(String key, V value, long nowMillis) {
            validate(value, nowMillis);
        }

        /** The id that redeliveries share; null for registry records, whose upserts are idempotent anyway. */
        String dedupId(V value);
    }

    private final String topic;
    private final Rules<V> rules;
    private final String dedupStoreName;
    private final FundwatchMetrics metrics;
    private FixedKeyProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;
    private boolean written;
    static final String SENTINEL = "\u0000fundwatch-dedup-sentinel";
    static final Duration SENTINEL_AFTER = Duration.ofSeconds(1);

    public IngestProcessor(String topic, Rules<V> rules, String dedupStoreName,
            FundwatchMetrics metrics) {
        this.topic = topic;
        this.rules = rules;
        this.dedupStoreName = dedupStoreName;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        if (dedupStoreName != null) {
            this.seen = context.getStateStore(dedupStoreName);
            context.schedule(SENTINEL_AFTER, PunctuationType.WALL_CLOCK_TIME, wall -> writeSentinel());
        }
    }

    /**
     * A window store keeps its committed changelog offset inside its segments (Kafka Streams 4.3). One that has none
     * — a task that received nothing in a run — closes without an offset, and under exactly-once the next start
     * treats the non-empty task directory as corrupted and wipes and restores every store of the task. One entry,
     * written once per run if no event was, gives the store a segment to keep its offset in.
     */
    private void writeSentinel() {
        if (!written) {
            seen.put(SENTINEL, 0L, Math.max(0, context.currentStreamTimeMs()));
            written = true;
        }
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V value = record.value();
        if (value == null) {
            // A tombstone on a compacted registry topic deletes the entry; it is valid by definition.
            metrics.consumed(topic);
            context.forward(record);
            return;
        }
        rules.validate(record.key(), value, context.currentSystemTimeMs());
        if (seen != null) {
            String id = rules.dedupId(value);
            long ts = record.timestamp();
            if (isDuplicate(id, ts)) {
                metrics.duplicate(topic);
                return;
            }
            seen.put(id, ts, ts);
            written = true;
        }
        metrics.consumed(topic);
        context.forward(record);
    }

    /**
     * A redelivery is the same event: same id and same event time (event time comes from the value). So one point
     * lookup in the segment of that time answers it — no range scan across the span's segments.
     */
    private boolean isDuplicate(String id, long ts) {
        return seen.fetch(id, ts) != null;
    }

    /** Convenience for building {@link Rules} from two functions. */
    public static <V> Rules<V> rules(BiConsumerWithTime<V> validator, Function<V, String> dedupId) {
        return new Rules<>() {
            @Override
            public void validate(V value, long nowMillis) {
                validator.accept(value, nowMillis);
            }

            @Override
            public String dedupId(V value) {
                return dedupId == null ? null : dedupId.apply(value);
            }
        };
    }

    /** {@link Rules} for a registry topic whose key must agree with its value (no dedup). */
    public static <V> Rules<V> keyedRules(KeyedValidator<V> validator) {
        return new Rules<>() {
            @Override
            public void validate(V value, long nowMillis) {
                validator.accept(null, value, nowMillis);
            }

            @Override
            public void validate(String key, V value, long nowMillis) {
                validator.accept(key, value, nowMillis);
            }

            @Override
            public String dedupId(V value) {
                return null;
            }
        };
    }

    @FunctionalInterface
    public interface KeyedValidator<V> {
        void accept(String key, V value, long nowMillis);
    }

    @FunctionalInterface
    public interface BiConsumerWithTime<V> {
        void accept(V value, long nowMillis);
    }
}
