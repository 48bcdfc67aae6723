package fundwatch.app.demo;

import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.json.AvroJson;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the early-warning topic as a case system would — {@code read_committed}, decoding through the
 * registry — and prints each alert: one JSON object per line with {@code --json}, else one readable line.
 */
final class AlertPrinter implements Runnable {
    private final KafkaConsumer<String, FundFlowAlert> consumer;
    private final String topic;
    private final boolean json;
    private final PrintStream out;
    private final long startedNanos;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong printed = new AtomicLong();
    /** Set by {@link #finish}: the poll loop ends once it has read up to the last committed alert, or at this time. */
    private volatile long finishByNanos = Long.MAX_VALUE;
    private volatile boolean finishing;

    AlertPrinter(String bootstrap, SchemaRegistryClient registry, String topic, boolean json, PrintStream out,
            long startedNanos) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fundwatch-demo-printer",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.forType(FundFlowAlert.class, registry).deserializer());
        this.topic = topic;
        this.json = json;
        this.out = out;
        this.startedNanos = startedNanos;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, FundFlowAlert> r : batch) {
                    print(r.value());
                }
                if (finishing && (batch.isEmpty() && caughtUp() || System.nanoTime() > finishByNanos)) {
                    break;
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // stop() woke the poll: a normal end.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void print(FundFlowAlert a) {
        if (printed.incrementAndGet() == 1) {
            System.err.printf("fundwatch demo: first alert %.1f s after start%n",
                    (System.nanoTime() - startedNanos) / 1e9);
        }
        if (json) {
            out.println(AvroJson.toJsonString(a));
        } else {
            out.printf("[%-8s] %-18s %-8s rev %d  %s%n", a.getSeverity(), a.getDetector(), a.getSubjectId(),
                    a.getRevision(), a.getSummary());
        }
        out.flush();
    }

    long printed() {
        return printed.get();
    }

    /**
     * Ends the loop once everything committed so far has been printed (read_committed end offsets are the last
     * stable offsets), waiting at most {@code max}; for after Kafka Streams' closing commit.
     */
    void finish(Duration max) {
        finishByNanos = System.nanoTime() + max.toNanos();
        finishing = true;
    }

    private boolean caughtUp() {
        var assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return true;
        }
        try {
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(1));
            return assigned.stream().allMatch(tp -> consumer.position(tp, Duration.ofSeconds(1)) >= ends.get(tp));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false; // asked again after the next poll, until finish's deadline
        }
    }

    void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
