package fundwatch.bench;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records fundwatch wrote to its own internal topics (repartition and changelog) per input event: under
 * exactly-once every one of them is a transactional produce, a broker append and, for repartition topics, another
 * consume and decode, so this ratio is much of what an input event costs.
 */
final class FanOut {
    private FanOut() {
    }

    static Map<String, Object> measure(Admin admin, String bootstrap, String appId, long inputEvents)
            throws Exception {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(appId + "-")).sorted().toList();
        Map<String, Long> perTopic = count(bootstrap, Lag.partitions(admin, internal));
        long repartition = sum(perTopic, "-repartition");
        long changelog = sum(perTopic, "-changelog");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("repartitionRecordsPerInputEvent", Main.round(repartition / (double) inputEvents));
        out.put("changelogRecordsPerInputEvent", Main.round(changelog / (double) inputEvents));
        Map<String, Double> top = new LinkedHashMap<>();
        perTopic.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(10).forEach(e -> top.put(e.getKey().substring(appId.length() + 1),
                        Main.round(e.getValue() / (double) inputEvents)));
        out.put("topInternalTopicsRecordsPerInputEvent", top);
        return out;
    }

    /**
     * Committed records per topic, read with a read_committed consumer: end offsets would also count the transaction
     * markers (one per partition per commit, a sizeable share at a 100 ms commit interval).
     */
    static Map<String, Long> count(String bootstrap, List<TopicPartition> partitions) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Long> perTopic = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> perTopic.merge(r.topic(), 1L, Long::sum));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("counting internal records took over 5 minutes");
                }
            }
        }
        return perTopic;
    }

    private static long sum(Map<String, Long> perTopic, String suffix) {
        return perTopic.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToLong(Map.Entry::getValue)
                .sum();
    }
}
