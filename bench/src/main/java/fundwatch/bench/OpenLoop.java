package fundwatch.bench;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.simulator.TopicRole;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.rules.DetectorDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Open loop: events sent at a fixed rate whatever fundwatch does (so a slow consumer shows up as lag and latency,
 * not as a slower sender), event time = send time. Among the ordinary traffic, every 1/fraction-th event is a
 * custody-bypass payment (DETECTION.md D3a: an individual paying a registered P2P platform's PLATFORM_GENERAL
 * account), round-robin over the benchmark's platforms, each 30 % of the platform's running total so that every one
 * is a material change (≥ 25 % growth) and fundwatch emits a revision for it. Latency = receive wall time of the
 * alert on a read_committed consumer − the alert's lastEventTime.
 */
final class OpenLoop {
    static final double LATENCY_P99_LIMIT_MS = 250;
    private static final long BASE_AMOUNT_MINOR = 10_000; // ¥100

    record Step(int rate, int seconds) {
    }

    private final String bootstrap;
    private final TopicNames names;
    private final Workload workload;
    private final Lag lag;
    private final double bypassFraction;
    private final Serializer<ClearingPayment> bypassSerializer;
    private final Deserializer<FundFlowAlert> alertDeserializer;
    private final long[] platformTotals;
    private long seq;
    private long bypassSeq;

    OpenLoop(String bootstrap, SchemaRegistryClient registry, TopicNames names, Workload workload, Lag lag,
             double bypassFraction) {
        this.bootstrap = bootstrap;
        this.names = names;
        this.workload = workload;
        this.lag = lag;
        this.bypassFraction = bypassFraction;
        this.bypassSerializer = AvroSerdes.forType(ClearingPayment.class, registry).serializer();
        this.alertDeserializer = AvroSerdes.forType(FundFlowAlert.class, registry).deserializer();
        this.platformTotals = new long[workload.benchPlatforms.size()];
    }

    static List<Step> parseSteps(String spec) {
        List<Step> steps = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] rs = part.trim().split(":");
            if (rs.length != 2) {
                throw new IllegalArgumentException("--steps takes RATE:SECONDS[,RATE:SECONDS...], got " + spec);
            }
            steps.add(new Step(Integer.parseInt(rs[0]), Integer.parseInt(rs[1])));
        }
        return steps;
    }

    /** Enough platforms that no platform's doubling-ish total nears the ¥10 trillion amount cap (~60 payments). */
    static int bypassPlatformsFor(List<Step> steps, double fraction) {
        double payments = steps.stream().mapToDouble(s -> (double) s.rate() * s.seconds() * fraction).sum();
        return (int) Math.max(100, Math.ceil(payments / 40));
    }

    /** The highest step that held p99 ≤ 250 ms with flat lag; 0 when none did. */
    static int sustainable(List<Map<String, Object>> results) {
        return results.stream().filter(r -> Boolean.TRUE.equals(r.get("holds")))
                .mapToInt(r -> ((Number) r.get("targetEventsPerSecond")).intValue()).max().orElse(0);
    }

    /** One histogram per step, filled by the alert consumer for alerts whose lastEventTime lies in the step. */
    private static final class StepWindow {
        final long fromMillis;
        volatile long toMillis = Long.MAX_VALUE;
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);

        StepWindow(long fromMillis) {
            this.fromMillis = fromMillis;
        }
    }

    List<Map<String, Object>> run(List<Step> steps) throws Exception {
        List<StepWindow> windows = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<Exception> consumerFailure = new AtomicReference<>();
        ExecutorService consumerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-alerts"));
        KafkaConsumer<byte[], byte[]> alerts = alertConsumer();
        List<TopicPartition> alertPartitions = alerts.partitionsFor(names.alerts()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        alerts.assign(alertPartitions);
        alerts.seekToEnd(alertPartitions);
        alertPartitions.forEach(alerts::position); // resolve "end" now, before the first step sends anything
        running = true;
        consumerThread.submit(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : alerts.poll(Duration.ofMillis(20))) {
                        long received = System.currentTimeMillis();
                        FundFlowAlert a = alertDeserializer.deserialize(r.topic(), r.value());
                        if (a == null || !DetectorDefaults.CUSTODY_BYPASS.equals(a.getDetector())) {
                            continue;
                        }
                        long eventTime = a.getLastEventTime().toEpochMilli();
                        for (StepWindow w : windows) {
                            if (eventTime >= w.fromMillis && eventTime < w.toMillis) {
                                synchronized (w.latency) {
                                    w.latency.recordValue(Math.max(0, received - eventTime));
                                }
                            }
                        }
                    }
                }
            } catch (Exception e) {
                consumerFailure.set(e);
            } finally {
                alerts.close();
            }
        });

        List<Map<String, Object>> results = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Step step : steps) {
                drain(Duration.ofSeconds(60));
                StepWindow window = new StepWindow(System.currentTimeMillis());
                windows.add(window);
                Map<String, Object> result = runStep(producer, step, window);
                results.add(result);
                if (consumerFailure.get() != null) {
                    throw new IllegalStateException("alert consumer failed", consumerFailure.get());
                }
                Main.log("open loop %,d events/s: %s", step.rate(), result);
            }
        } finally {
            running = false;
            consumerThread.shutdown();
            consumerThread.awaitTermination(10, TimeUnit.SECONDS);
        }
        return results;
    }

    private volatile boolean running;

    private Map<String, Object> runStep(KafkaProducer<byte[], byte[]> producer, Step step, StepWindow window)
            throws Exception {
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        List<Lag.Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        var sampler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-lag"));
        sampler.scheduleAtFixedRate(() -> {
            try {
                samples.add(lag.sample());
            } catch (Exception e) {
                Main.log("lag sample failed: %s", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        long every = Math.max(1, Math.round(1 / bypassFraction));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(step.seconds());
        double perNano = step.rate() / 1e9;
        long sent = 0;
        long bypass = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = (long) ((now - start) * perNano);
            long wall = System.currentTimeMillis();
            while (sent < due) {
                ProducerRecord<byte[], byte[]> record;
                if (++seq % every == 0) {
                    record = bypassPayment(wall);
                    bypass++;
                } else {
                    OpenLoopTemplates.Template t = workload.templates.template(seq);
                    record = new ProducerRecord<>(workload.topics.get(t.topicIndex()), t.key(),
                            OpenLoopTemplates.stamp(t, seq, wall));
                }
                producer.send(record, (m, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
                sent++;
            }
            if (sendFailure.get() != null) {
                throw new IllegalStateException("open-loop send failed", sendFailure.get());
            }
            LockSupport.parkNanos(200_000);
        }
        double achieved = sent / ((System.nanoTime() - start) / 1e9);
        window.toMillis = System.currentTimeMillis();
        producer.flush();
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        // Alerts for the step's events still count when they arrive after it ends: wait for the backlog to be
        // processed (an overloaded step's alerts may come seconds late), then for the alert consumer's next poll.
        drain(Duration.ofSeconds(120));
        Thread.sleep(1_000);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("targetEventsPerSecond", step.rate());
        r.put("seconds", step.seconds());
        r.put("achievedEventsPerSecond", Main.round(achieved));
        r.put("bypassPayments", bypass);
        Histogram h;
        synchronized (window.latency) {
            h = window.latency.copy();
        }
        r.put("latencySamples", h.getTotalCount());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50Ms", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(50));
        latency.put("p99Ms", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99));
        latency.put("p999Ms", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99.9));
        latency.put("maxMs", h.getTotalCount() == 0 ? null : h.getMaxValue());
        r.put("latencyMs", latency);
        // Input plus repartition lag: the ingest stage alone keeps input lag flat while the detectors behind the
        // repartition topics fall behind (seen in the replay), so input lag alone would call an overload flat.
        long lagStart = samples.isEmpty() ? -1 : total(samples.get(0));
        long lagEnd = samples.isEmpty() ? -1 : total(samples.get(samples.size() - 1));
        long lagMax = samples.stream().mapToLong(OpenLoop::total).max().orElse(-1);
        // Flat: the backlog at the end is no more than one second of input above where it started.
        boolean flat = !samples.isEmpty() && lagEnd <= lagStart + step.rate();
        r.put("lagStart", lagStart);
        r.put("lagEnd", lagEnd);
        r.put("lagMax", lagMax);
        r.put("inputLagEnd", samples.isEmpty() ? -1 : samples.get(samples.size() - 1).input());
        r.put("lagFlat", flat);
        boolean holds = flat && h.getTotalCount() > 0 && achieved >= 0.95 * step.rate()
                && h.getValueAtPercentile(99) <= LATENCY_P99_LIMIT_MS;
        r.put("holds", holds);
        return r;
    }

    private static long total(Lag.Sample s) {
        return s.input() + s.repartition();
    }

    private ProducerRecord<byte[], byte[]> bypassPayment(long wall) {
        int p = (int) (bypassSeq++ % platformTotals.length);
        String platform = workload.benchPlatforms.get(p);
        long amount = Math.max(BASE_AMOUNT_MINOR, platformTotals[p] * 3 / 10);
        platformTotals[p] += amount;
        String payer = "BIND-" + (bypassSeq % 5_000);
        ClearingPayment payment = ClearingPayment.newBuilder().setPaymentId("BYP-" + seq)
                .setClearingHouse("NUCC").setPayerAccountId(payer).setPayerBankId("BANK-RETAIL")
                .setPayerPartyId("BPARTY-" + (bypassSeq % 5_000)).setPayerPartyType(PartyType.INDIVIDUAL)
                .setPayeeAccountId(Workload.generalAccount(platform)).setPayeeBankId("BANK-BENCH")
                .setPayeePartyId(platform + "-CORP").setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(amount).setCurrency("CNY").setPaymentInstitutionId(null).setPurpose(null)
                .setEventTime(Instant.ofEpochMilli(wall)).build();
        return new ProducerRecord<>(workload.topics.get(TopicRole.CLEARING.ordinal()),
                payer.getBytes(StandardCharsets.UTF_8), bypassSerializer.serialize(names.clearingPayments(), payment));
    }

    /** Before a step: whatever the previous step left behind is processed first, so each step starts level. */
    private void drain(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            Lag.Sample s = lag.sample();
            if (s.input() == 0 && s.repartition() <= s.repartitionPartitions()) {
                return;
            }
            Thread.sleep(200);
        }
        Main.log("lag still %s after %s; starting the next step anyway", lag.sample(), max);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5); // as the simulator's publisher
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fundwatch-bench-open-loop");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> alertConsumer() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10); // the consumer's own wait must not dominate latency
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "fundwatch-bench-alerts");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
