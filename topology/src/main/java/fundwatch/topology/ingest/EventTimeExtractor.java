package fundwatch.topology.ingest;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time comes from the value (CONTRACT.md), never from the Kafka timestamp, which producers may leave as
 * send time. Kafka Streams hands the extractor the already-decoded value, so this costs no second decode.
 * It never returns a negative time — Streams would silently skip such a record — so a record with an absurd
 * time still reaches the validator and, from there, the DLQ.
 */
public final class EventTimeExtractor<V> implements TimestampExtractor {
    private final Class<V> type;
    private final Function<V, Instant> eventTime;

    public EventTimeExtractor(Class<V> type, Function<V, Instant> eventTime) {
        this.type = type;
        this.eventTime = eventTime;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        if (type.isInstance(value)) {
            Instant t = eventTime.apply(type.cast(value));
            if (t != null && t.toEpochMilli() >= 0) {
                return t.toEpochMilli();
            }
        }
        return Math.max(0, partitionTime >= 0 ? partitionTime : record.timestamp());
    }
}
