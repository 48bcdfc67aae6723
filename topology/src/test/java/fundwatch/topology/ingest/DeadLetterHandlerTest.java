package fundwatch.topology.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.schemas.serde.CodedSerializationException;
import fundwatch.schemas.serde.DecodeErrors;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler's decisions in isolation: what is bad input (dead letter) and what is an outage (retry). */
class DeadLetterHandlerTest {
    private final FundwatchMetrics metrics = FundwatchMetrics.detached();
    private final DeadLetterHandler handler = new DeadLetterHandler();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("clearing.payments", 3, 42L,
            "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

    /** Where the failed record came from, as Kafka Streams would describe it. */
    private record Origin(String topic, int partition, long offset) implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "custody-bypass-alert-lifecycle";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(1, partition);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return "k".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] sourceRawValue() {
            return new byte[] {9};
        }
    }

    @BeforeEach
    void configure() {
        handler.configure(Map.of(DeadLetterHandler.DLQ_TOPIC_CONFIG, "my.dlq", FundwatchMetrics.CONFIG_KEY, metrics));
    }

    @Test
    void shouldDeadLetterUndecodableBytesWithTheSerdesReasonCode() {
        DeserializationExceptionHandler.Response r = handler.handleError(null, record,
                new CodedSerializationException(DecodeErrors.TRUNCATED, "body ends inside the record"));

        assertEquals(DeserializationExceptionHandler.Result.RESUME, r.result());
        var dead = r.deadLetterQueueRecords().get(0);
        assertEquals("my.dlq", dead.topic());
        assertEquals("truncated: body ends inside the record",
                new String(dead.headers().lastHeader(DeadLetterHandler.HEADER_ERROR).value(), StandardCharsets.UTF_8));
        assertEquals("42", new String(dead.headers().lastHeader(DeadLetterHandler.HEADER_OFFSET).value(),
                StandardCharsets.UTF_8));
        assertEquals(1d, metrics.count("fundwatch.dead.letters", "topic", "clearing.payments", "reason", "truncated"));
    }

    @Test
    void shouldRetryRatherThanDeadLetterWhenTheRegistryIsDown() {
        CodedSerializationException outage = new CodedSerializationException(DecodeErrors.REGISTRY_UNAVAILABLE,
                "connection refused");

        DeserializationExceptionHandler.Response decode = handler.handleError(null, record, outage);
        // The same outage wrapped, as when the alert serializer cannot register its schema.
        ProcessingExceptionHandler.Response encode = handler.handleError(
                new Origin("fundwatch-clearing-platform-legs-repartition", 0, 7),
                new org.apache.kafka.streams.processor.api.Record<>("P-1", "finding", 0L),
                new RuntimeException("sink failed", new SerializationException("wrapped", outage)));

        assertEquals(DeserializationExceptionHandler.Result.FAIL, decode.result());
        assertEquals(ProcessingExceptionHandler.Result.FAIL, encode.result());
        assertEquals(0, decode.deadLetterQueueRecords().size());
        assertEquals(0d, metrics.count("fundwatch.dead.letters", "topic", "clearing.payments", "reason",
                "registry-unavailable"));
    }

    @Test
    void shouldFallBackToAGenericCodeForUncodedDecodeErrors() {
        assertEquals("undecodable", DeadLetterHandler.reasonCode(new SerializationException("boom"), "undecodable"));
        assertEquals("invalid-amount", DeadLetterHandler.reasonCode(
                new RuntimeException(new InvalidRecordException("invalid-amount", "-1")), "x"));
    }
}
