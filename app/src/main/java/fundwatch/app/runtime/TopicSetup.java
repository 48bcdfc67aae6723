package fundwatch.app.runtime;

import fundwatch.topology.catalog.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Input topics belong to the operator: fundwatch refuses to start while one is missing, naming it. Output and
 * fundwatch-owned topics (alerts, DLQ, validated registry copies) are created when absent.
 */
public final class TopicSetup {
    private TopicSetup() {
    }

    public static void requireInputs(Admin admin, TopicNames names) throws InterruptedException {
        Set<String> existing = list(admin);
        List<String> missing = names.inputs().stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("input topics missing: " + String.join(", ", missing)
                    + " — they are created by the operator (see CONTRACT.md); `bin/fundwatch demo` creates its own");
        }
    }

    /** The number of partitions of each of {@code topics}. */
    public static Map<String, Integer> partitionCounts(Admin admin, List<String> topics) throws InterruptedException {
        try {
            Map<String, Integer> out = new LinkedHashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((t, d) -> out.put(t, d.partitions().size()));
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Creates the alert and DLQ topics with explicit {@code retention.ms} — the broker default (often 7 days) would
     * let alerts go before a case system has read them — and the validated registry copies. Topics that already
     * exist are left as they are; {@link #checkRetention} reports any that keep records for less than configured.
     * {@code acceptAheadMillis}: how far ahead of the broker's clock a record's timestamp (its event time) may be.
     */
    public static void createOwnTopics(Admin admin, TopicNames names, int partitions, short replication,
            Duration alertRetention, Duration dlqRetention, String acceptAheadMillis) throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        String ahead = TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG;
        topics.add(new NewTopic(names.alerts(), partitions, replication)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(alertRetention.toMillis()),
                        ahead, acceptAheadMillis)));
        topics.add(new NewTopic(names.deadLetters(), partitions, replication)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(dlqRetention.toMillis()),
                        ahead, acceptAheadMillis)));
        for (String registry : names.registryInputs()) {
            // A validated registry copy is read whole by every instance: compacted, one partition is enough.
            topics.add(new NewTopic(names.validated(registry), 1, replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            ahead, acceptAheadMillis)));
        }
        create(admin, topics);
    }

    /**
     * D8's traced-credit loop topic, with exactly clearing.payments' partition count: the account tasks read both, so
     * an account's payments out and the traced money it receives must land on the same partition number. Its records
     * carry the payments' event time, so time-based retention would delete a replayed backlog's old credits (a rolled
     * segment's newest timestamp may be weeks old) before they are read: size-bounded instead, 1 GiB a partition —
     * fundwatch itself writes the topic and reads it back within seconds, so only a stalled consumer could fill it.
     * Timestamps up to {@code acceptAheadMillis} ahead are accepted, as on fundwatch's other topics.
     */
    public static void createTraceCredits(Admin admin, TopicNames names, int clearingPartitions, short replication,
            String acceptAheadMillis) throws InterruptedException {
        create(admin, List.of(new NewTopic(names.traceCredits(), clearingPartitions, replication)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(1L << 30),
                        TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, acceptAheadMillis))));
    }

    /**
     * The existing topics' {@code retention.ms} compared with what fundwatch would create them with: one line per
     * topic that keeps records for less (an operator's decision, so a warning, not a refusal). {@code -1} is
     * "forever" and never short.
     */
    public static List<String> checkRetention(Admin admin, Map<String, Duration> wanted) throws InterruptedException {
        List<ConfigResource> resources = wanted.keySet().stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return List.of("cannot read the retention of " + wanted.keySet() + ": "
                    + (e.getCause() == null ? e : e.getCause()).toString());
        }
        List<String> problems = new ArrayList<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
            Duration want = wanted.get(resource.name());
            if (entry == null || entry.value() == null) {
                return;
            }
            try {
                long ms = Long.parseLong(entry.value());
                if (ms >= 0 && ms < want.toMillis()) {
                    problems.add("topic " + resource.name() + " keeps records for " + Duration.ofMillis(ms)
                            + " (retention.ms=" + ms + "), less than the configured " + want
                            + ": raise it with kafka-configs.sh --alter --add-config retention.ms="
                            + want.toMillis() + " (docs/operations.md, Retention)");
                }
            } catch (NumberFormatException e) {
                problems.add("topic " + resource.name() + " has an unreadable retention.ms '" + entry.value() + "'");
            }
        });
        return problems;
    }

    /** Used by the demo for the operator's part: the contract's input topics. */
    public static void createInputs(Admin admin, TopicNames names, int partitions, short replication)
            throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(names.custodyTransactions(), partitions, replication));
        topics.add(new NewTopic(names.clearingPayments(), partitions, replication));
        for (String registry : names.registryInputs()) {
            topics.add(new NewTopic(registry, partitions, replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        create(admin, topics);
    }

    private static void create(Admin admin, List<NewTopic> topics) throws InterruptedException {
        Set<String> existing = list(admin);
        List<NewTopic> absent = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        if (absent.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(absent).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        }
        awaitDescribable(admin, absent.stream().map(NewTopic::name).toList());
    }

    /**
     * createTopics returns once the controller has accepted; brokers learn of the topics a moment later. A global
     * store initialised in between finds "no partitions" and its thread dies, so wait until they are described.
     */
    private static void awaitDescribable(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                if (described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " were created but have no leaders after 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static Set<String> list(Admin admin) throws InterruptedException {
        try {
            return admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
