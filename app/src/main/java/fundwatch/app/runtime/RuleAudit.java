package fundwatch.app.runtime;

import fundwatch.avro.DetectorRule;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.support.InternalAvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of rule changes: one INFO line on {@code fundwatch.audit.rules} per DetectorRule that reaches
 * this instance after it started — detector, version, the parameters that changed (old → new, defaults
 * included), the previous version, and who published it when the publisher said so ({@code rules} sets the
 * {@value #CHANGED_BY_HEADER} header). It reads fundwatch's validated copy of the rules topic — what the detectors'
 * global store is loaded from, so only rules that passed validation — outside the topology, without a consumer
 * group: the records present at start only establish the previous versions.
 */
public final class RuleAudit implements Runnable, AutoCloseable {
    public static final String CHANGED_BY_HEADER = "fundwatch.changed-by";
    private static final Logger AUDIT = LoggerFactory.getLogger("fundwatch.audit.rules");
    private static final Logger LOG = LoggerFactory.getLogger(RuleAudit.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<DetectorRule> rules = InternalAvroSerde.of(DetectorRule.class).deserializer();
    private final Map<String, DetectorRule> current = new HashMap<>();
    private volatile boolean stopped;

    public RuleAudit(Properties streamsProps, String validatedRulesTopic) {
        this.topic = validatedRulesTopic;
        this.consumer = new KafkaConsumer<>(consumerProperties(streamsProps), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The client settings of the Streams consumers (bootstrap, security), without a group: no offsets kept. */
    static Properties consumerProperties(Properties streamsProps) {
        Properties p = new Properties();
        for (String key : ConsumerConfig.configNames()) {
            if (streamsProps.containsKey(key)) {
                p.put(key, streamsProps.get(key));
            }
        }
        for (String prefix : List.of(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX)) {
            streamsProps.forEach((k, v) -> {
                String key = k.toString();
                if (key.startsWith(prefix) && ConsumerConfig.configNames().contains(key.substring(prefix.length()))) {
                    p.put(key.substring(prefix.length()), v);
                }
            });
        }
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, streamsProps.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG,
                "fundwatch") + "-rule-audit");
        return p;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> startEnd = consumer.endOffsets(partitions);
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    boolean history = r.offset() < startEnd.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
                    apply(r, history);
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            // The audit trail is not worth stopping detection for; the failure itself is on the record.
            LOG.error("rule audit stopped: rule changes are no longer logged by this instance", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r, boolean history) {
        DetectorRule rule;
        try {
            rule = rules.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            LOG.warn("rule record {}-{}@{} is unreadable: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        String detector = r.key() == null ? "?" : r.key();
        DetectorRule previous = rule == null ? current.remove(detector) : current.put(detector, rule);
        if (!history) {
            Header by = r.headers().lastHeader(CHANGED_BY_HEADER);
            AUDIT.info(describe(detector, previous, rule, by == null ? null : new String(by.value(),
                    StandardCharsets.UTF_8)));
        }
    }

    /** The audit line: what changed from {@code previous} (null: defaults) to {@code rule} (null: a reset). */
    static String describe(String detector, DetectorRule previous, DetectorRule rule, String changedBy) {
        Map<String, Double> before = effective(detector, previous);
        Map<String, Double> after = effective(detector, rule);
        List<String> changed = new ArrayList<>();
        for (String name : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                changed.add(name + " " + number(before.get(name)) + " -> " + number(after.get(name)));
            }
        }
        boolean enabledBefore = previous == null || previous.getEnabled();
        boolean enabledAfter = rule == null || rule.getEnabled();
        StringBuilder line = new StringBuilder("rule change applied: detector=").append(detector)
                .append(" version=").append(rule == null ? DetectorDefaults.DEFAULT_VERSION + " (reset)" : rule.getVersion())
                .append(" previous=").append(previous == null ? DetectorDefaults.DEFAULT_VERSION : previous.getVersion());
        if (enabledBefore != enabledAfter) {
            line.append(" enabled ").append(enabledBefore).append(" -> ").append(enabledAfter);
        } else {
            line.append(" enabled=").append(enabledAfter);
        }
        line.append(" changed=").append(changed.isEmpty() ? "none" : "[" + String.join(", ", changed) + "]");
        if (rule != null && rule.getUpdatedAt() != null) {
            line.append(" updatedAt=").append(rule.getUpdatedAt());
        }
        line.append(" by=").append(changedBy == null || changedBy.isBlank() ? "unknown" : changedBy);
        return line.toString();
    }

    /** The detector's parameters in force with this rule: defaults overridden by the rule's known parameters. */
    private static Map<String, Double> effective(String detector, DetectorRule rule) {
        Map<String, Double> m = new TreeMap<>(DetectorDefaults.isKnown(detector) ? DetectorDefaults.of(detector)
                : Map.of());
        if (rule != null && rule.getParams() != null) {
            rule.getParams().forEach((k, v) -> {
                if (DetectorDefaults.isKnown(detector) && DetectorDefaults.acceptsParam(detector, k)) {
                    m.put(k, v);
                }
            });
        }
        return m;
    }

    private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        java.util.Set<T> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String number(Double d) {
        if (d == null) {
            return "unset";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
    }
}
