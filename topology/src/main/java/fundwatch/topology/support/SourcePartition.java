package fundwatch.topology.support;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The input partition a record was read from, carried as a header across a repartition. Downstream, one task's
 * repartitioned input interleaves records from every upstream partition, each in its own order; a processor that
 * must know how far an input has come (D3b) tracks each of these channels, not just the newest time it saw.
 */
public final class SourcePartition {
    public static final String HEADER = "fundwatch.source.partition";

    private SourcePartition() {
    }

    /** Stamps the partition the current record was read from (replacing any earlier stamp). */
    public static void stamp(Headers headers, int partition) {
        headers.remove(HEADER);
        headers.add(HEADER, ByteBuffer.allocate(4).putInt(partition).array());
    }

    /** The stamped partition, or -1 for a record that carries none. */
    public static int of(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null || h.value().length != 4 ? -1 : ByteBuffer.wrap(h.value()).getInt();
    }

    /** A pass-through step that stamps each record with the partition it was read from. */
    public static <V> FixedKeyProcessor<String, V, V> stamper() {
        return new FixedKeyProcessor<>() {
            private FixedKeyProcessorContext<String, V> context;

            @Override
            public void init(FixedKeyProcessorContext<String, V> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, V> record) {
                context.recordMetadata().ifPresent(m -> stamp(record.headers(), m.partition()));
                context.forward(record);
            }
        };
    }
}
