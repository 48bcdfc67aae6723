package fundwatch.topology.ingest;

import fundwatch.schemas.serde.DecodeErrors;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record that cannot be decoded or breaks the contract into a dead letter: the original key and value
 * bytes, unchanged, on the DLQ topic with the headers CONTRACT.md names. The dead letter is returned to Kafka
 * Streams (KIP-1034), which writes it in the same transaction as the input offset — so under exactly-once a
 * bad record is dead-lettered exactly once and processing continues.
 *
 * <p>One exception: a registry outage is not bad input. Those records fail the thread, the uncaught-exception
 * handler replaces it, and the same records are retried once the registry answers again.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler {
    public static final String DLQ_TOPIC_CONFIG = "fundwatch.dlq.topic";
    public static final String HEADER_ERROR = "fundwatch.error";
    public static final String HEADER_TOPIC = "fundwatch.source.topic";
    public static final String HEADER_PARTITION = "fundwatch.source.partition";
    public static final String HEADER_OFFSET = "fundwatch.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final int MAX_REASON_CHARS = 1000;

    private String dlqTopic = "fundwatch.dlq";
    private FundwatchMetrics metrics = FundwatchMetrics.detached();

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic != null) {
            dlqTopic = topic.toString();
        }
        Object m = configs.get(FundwatchMetrics.CONFIG_KEY);
        if (m instanceof FundwatchMetrics fm) {
            metrics = fm;
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String code = reasonCode(exception, "undecodable");
        if (DecodeErrors.isRegistryOutage(exception)) {
            LOG.warn("schema registry unavailable while decoding {}-{}@{}; the thread will retry",
                    record.topic(), record.partition(), record.offset());
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(List.of(
                deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(), code,
                        exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        if (DecodeErrors.isRegistryOutage(exception)) {
            // E.g. the alert serializer registering its schema while the registry is down: nothing is wrong
            // with the record, so it must not be dead-lettered (its alert would be lost). Fail; the replaced
            // thread retries it from the last commit.
            LOG.warn("schema registry unavailable in {} for {}-{}@{}; the thread will retry",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset());
            return ProcessingExceptionHandler.Response.fail();
        }
        String code = exception instanceof InvalidRecordException invalid
                ? invalid.reason()
                : "processing-error";
        if (!(exception instanceof InvalidRecordException)) {
            LOG.error("processing failed in {} for {}-{}@{}; dead-lettered", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
        }
        return ProcessingExceptionHandler.Response.resume(List.of(
                deadLetter(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                        context.sourceRawValue(), code, exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, byte[] key,
            byte[] value, String code, Exception exception) {
        metrics.deadLetter(topic == null ? "unknown" : topic, code);
        String reason = reasonText(code, exception);
        DeadLetterLog.SHARED.record(String.valueOf(topic), partition, offset, code, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_ERROR, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_TOPIC, String.valueOf(topic).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(dlqTopic, null, null, key, value, headers);
    }

    /** A bounded reason code: the validator's, or the serde's (DecodeErrors), else the fallback. */
    static String reasonCode(Throwable exception, String fallback) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof InvalidRecordException invalid) {
                return invalid.reason();
            }
        }
        String code = DecodeErrors.code(exception);
        return DecodeErrors.OTHER.equals(code) ? fallback : code;
    }

    private static String reasonText(String code, Exception exception) {
        String msg = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        String text = msg.startsWith(code) ? msg : code + ": " + msg;
        return text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) : text;
    }
}
