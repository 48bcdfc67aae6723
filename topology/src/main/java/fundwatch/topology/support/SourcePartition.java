package fundwatch.topology.support;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The input partition a record was read from, carried as a header across a repartition. Downstream, one task's
 * repartitioned input interleaves records from every upstream partition, each in its own order; a processor that
 * must know how far an input has come (D3b) tracks each of these channels, not just the newest time it saw.
 */
public final class SourcePartition {
    /** Internal only (never on an output topic); not the dead-letter header {@code fundwatch.source.partition}. */
    public static final String HEADER = "fundwatch.internal.source-partition";

    private SourcePartition() {
    }

    /**
     * A copy of {@code headers} stamped with {@code partition} (replacing any earlier stamp). A copy: the same
     * headers object travels on to the record's other consumers.
     */
    public static Headers stamped(Headers headers, int partition) {
        Headers copy = new RecordHeaders(headers.toArray());
        copy.remove(HEADER);
        copy.add(HEADER, ByteBuffer.allocate(4).putInt(partition).array());
        return copy;
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
                int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
                context.forward(record.withHeaders(stamped(record.headers(), partition)));
            }
        };
    }
}
