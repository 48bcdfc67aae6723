package fundwatch.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * How many records fundwatch wrote to its own internal topics (repartition and changelog) per input event: under
 * exactly-once every one of them is a transactional produce, a broker append and, for repartition topics, another
 * consume and decode, so this ratio is much of what an input event costs.
 */
final class FanOut {
    private FanOut() {
    }

    /**
     * Records the application's producers sent to each internal topic (their {@code record-send-total} per topic):
     * exact. Counting what the topics hold would not be — Kafka Streams purges repartition records once
     * committed, and end offsets also count one transaction marker per partition per commit.
     */
    static Map<String, Object> measure(Map<MetricName, ? extends Metric> metrics, String appId, long inputEvents) {
        Map<String, Long> perTopic = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            String topic = name.tags().get("topic");
            if (name.group().equals("producer-topic-metrics") && name.name().equals("record-send-total")
                    && topic != null && topic.startsWith(appId + "-")) {
                perTopic.merge(topic, Math.round(((Number) metric.metricValue()).doubleValue()), Long::sum);
            }
        });
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

    private static long sum(Map<String, Long> perTopic, String suffix) {
        return perTopic.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToLong(Map.Entry::getValue)
                .sum();
    }
}
