package fundwatch.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records fundwatch wrote to its own internal topics (repartition and changelog) per input event: under
 * exactly-once every one of them is a transactional produce, a broker append and, for repartition topics, another
 * consume and decode, so this ratio is much of what an input event costs.
 */
final class FanOut {
    private FanOut() {
    }

    static Map<String, Object> measure(Admin admin, String appId, long inputEvents) throws Exception {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(appId + "-")).sorted().toList();
        Map<TopicPartition, OffsetSpec> request = Lag.partitions(admin, internal).stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
        Map<String, Long> perTopic = new LinkedHashMap<>();
        ends.forEach((tp, info) -> perTopic.merge(tp.topic(), info.offset(), Long::sum));
        // End offsets count transaction markers too (one per partition per commit): an upper bound on records.
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
