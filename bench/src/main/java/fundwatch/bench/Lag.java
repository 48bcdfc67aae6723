package fundwatch.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the fundwatch application's group: end offsets minus committed offsets. Input topics are written
 * without transactions, so caught up means lag exactly 0 there; repartition topics are transactional and a committed
 * offset may sit just before the last commit marker, so those are compared with read_committed end offsets.
 */
final class Lag {
    private final Admin admin;
    private final String groupId;
    private final List<TopicPartition> inputs;

    Lag(Admin admin, String groupId, List<String> inputTopics) throws InterruptedException, ExecutionException {
        this.admin = admin;
        this.groupId = groupId;
        this.inputs = partitions(admin, inputTopics);
    }

    static List<TopicPartition> partitions(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException {
        Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get();
        return d.values().stream().flatMap(t -> t.partitions().stream()
                .map(p -> new TopicPartition(t.name(), p.partition()))).toList();
    }

    /** Lag summed over the input topics, and over the group's repartition topics. */
    record Sample(long input, long repartition, int repartitionPartitions, long nanoTime) {
    }

    Sample sample() throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        inputs.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        long input = 0;
        long repartition = 0;
        int repartitionPartitions = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            long lag = Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
            if (inputs.contains(e.getKey())) {
                input += lag;
            } else if (e.getKey().topic().contains("-repartition")) {
                repartition += lag;
                repartitionPartitions++;
            }
        }
        return new Sample(input, repartition, repartitionPartitions, System.nanoTime());
    }
}
