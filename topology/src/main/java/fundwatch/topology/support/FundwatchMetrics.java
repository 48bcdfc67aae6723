package fundwatch.topology.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Domain metrics. Labels are bounded sets only (topic, reason code, detector, severity): never an account or
 * party id, so a national feed cannot blow up the time-series count.
 */
public final class FundwatchMetrics {
    /** Key under which the instance travels through the Streams config to the exception handlers. */
    public static final String CONFIG_KEY = "fundwatch.metrics.instance";

    private final MeterRegistry registry;

    public FundwatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static FundwatchMetrics detached() {
        return new FundwatchMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counters of the per-event paths, built once per label: a builder and a registry lookup per event showed. */
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> late = new ConcurrentHashMap<>();

    public void consumed(String topic) {
        consumed.computeIfAbsent(topic, t -> Counter.builder("fundwatch.events.consumed")
                .description("Valid input records accepted, per topic").tag("topic", t).register(registry))
                .increment();
    }

    public void deadLetter(String topic, String reason) {
        Counter.builder("fundwatch.dead.letters").description("Records routed to the dead-letter topic")
                .tag("topic", topic).tag("reason", reason).register(registry).increment();
    }

    public void duplicate(String topic) {
        Counter.builder("fundwatch.duplicates").description("Redelivered events ignored by id")
                .tag("topic", topic).register(registry).increment();
    }

    /** A valid movement in a currency other than CNY: counted, not judged (ingest.CurrencyGate). */
    public void foreignCurrency(String topic, String currency) {
        Counter.builder("fundwatch.foreign.currency")
                .description("Valid movements in a currency other than CNY, which the detectors do not judge")
                .tag("topic", topic).tag("currency", currency).register(registry).increment();
    }

    public void lateEvent(String detector) {
        late.computeIfAbsent(detector, d -> Counter.builder("fundwatch.late.events")
                .description("Events older than their window's grace period, not counted in a finding")
                .tag("detector", d).register(registry)).increment();
    }

    /** Detector → task → clearing partitions that task expects and has not heard from yet. */
    private final Map<String, Map<Object, Integer>> unseenClearing = new ConcurrentHashMap<>();

    /**
     * How many clearing partitions a task of {@code detector} still waits to hear from. Those detectors decide on
     * every clearing partition's progress (no wall clock), so while one partition has never delivered anything —
     * a producer that keys everything to some partitions, partitions added to the topic — their day verdicts wait.
     * The gauge is the most any task of the detector waits for; 0 once all have shown themselves.
     */
    public void unseenClearingPartitions(String detector, Object task, int partitions) {
        unseenClearing.computeIfAbsent(detector, d -> {
            Map<Object, Integer> tasks = new ConcurrentHashMap<>();
            Gauge.builder("fundwatch.clearing.partitions.unseen", tasks,
                            t -> t.values().stream().mapToInt(Integer::intValue).max().orElse(0))
                    .description("Clearing partitions a task of the detector has not heard from yet; "
                            + "its day verdicts wait until every partition has delivered")
                    .tag("detector", d).strongReference(true).register(registry);
            return tasks;
        }).put(task, partitions);
    }

    /** The task no longer runs here (closed, migrated): its wait no longer counts. */
    public void forgetClearingTask(String detector, Object task) {
        Map<Object, Integer> tasks = unseenClearing.get(detector);
        if (tasks != null) {
            tasks.remove(task);
        }
    }

    public void alertEmitted(String detector, String severity) {
        Counter.builder("fundwatch.alerts.emitted").description("Alert revisions emitted")
                .tag("detector", detector).tag("severity", severity).register(registry).increment();
    }

    /**
     * Event time of the newest contributing event to the alert's emission. It includes each detector's
     * designed wait (D3b waits out its match window), so read it per detector. Buckets from 100 ms to a day.
     */
    public void alertLatency(String detector, long millis) {
        Timer.builder("fundwatch.alert.latency")
                .description("Event time of an alert's newest evidence to its emission")
                .tag("detector", detector)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(Duration.ofMillis(Math.max(0, millis)));
    }

    /**
     * From the 250 ms target of a payment-level detector to the weeks a baseline detector needs (D6 compares a
     * week with the four before it; D2 and D3b wait for a term or a match window): a finding that can only be
     * made days after its last event must still land in a finite bucket, or every quantile reads +Inf.
     */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofHours(4), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7),
        Duration.ofDays(30), Duration.ofDays(90)};

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
