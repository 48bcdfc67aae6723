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
                for (ConsumerRecord<String, FundFlowAlert> r : consumer.poll(Duration.ofMillis(200))) {
                    print(r.value());
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

    void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
