package fundwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fundwatch.app.cli.Args;
import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.app.progress.Progress;
import fundwatch.app.runtime.FundwatchRuntime;
import fundwatch.app.runtime.TopicSetup;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.topology.catalog.TopicNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end benchmark of fundwatch on a real KRaft broker and Apicurio registry, both started here as child JVMs:
 * <ol>
 *   <li>replay: N pre-encoded simulator events preloaded, then fundwatch (exactly-once, every detector) started
 *       and timed until its consumer lag is 0, with the CPU seconds the app and the broker spent on it;</li>
 *   <li>ceiling: a plain read_committed byte[] consumer reading the same input;</li>
 *   <li>open loop: fixed send rates in steps, event time = now, event-time-to-alert latency (HdrHistogram).</li>
 * </ol>
 * Prints one JSON summary on stdout (logs go to stderr) and writes it to {@code --out} when given.
 */
public final class Main {
    static final String APP_ID = "fundwatch-bench";
    private static Progress.Mode progressMode = Progress.Mode.AUTO;

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        int rc;
        try {
            rc = run(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE);
            rc = 2;
        }
        System.exit(rc);
    }

    static final String USAGE = """
            usage: bin/bench [--events N] [--steps RATE:SECONDS,...] [--partitions P] [--threads T]
                             [--instances N] [--bypass-fraction F] [--days D] [--honest-platforms H] [--skip-open-loop]
                             [--out FILE] [--progress auto|bar|log|none] [--<any.fundwatch.or.streams.setting> VALUE ...]
              defaults: --events 2000000 --steps 5000:25,10000:25,25000:25,50000:25 --partitions 6 --threads 2 --instances 1
                        --bypass-fraction 0.01
              any --KEY VALUE is fundwatch configuration, e.g. --lookthrough.enabled false (D8 tracing off)""";

    static int run(String[] argv) throws Exception {
        Args args = Args.parse(argv, 0, Set.of("skip-open-loop", "help"),
                Set.of("events", "steps", "partitions", "threads", "instances", "out", "seed", "bypass-fraction", "days",
                        "honest-platforms", "replay-timeout", "progress", "*"));
        if (args.flag("help")) {
            System.out.println(USAGE);
            return 0;
        }
        int events = args.intValue("events", 2_000_000);
        // How far each phase is, on stderr (stdout is the JSON summary): a bar on a terminal, else a line every 10 s.
        progressMode = Progress.Mode.valueOf(args.get("progress", "auto").toUpperCase(java.util.Locale.ROOT));
        List<OpenLoop.Step> steps = OpenLoop.parseSteps(args.get("steps", "5000:25,10000:25,25000:25,50000:25"));
        int partitions = args.intValue("partitions", 6);
        int threads = args.intValue("threads", 2);
        double bypassFraction = Double.parseDouble(args.get("bypass-fraction", "0.01"));
        boolean openLoop = !args.flag("skip-open-loop") && !steps.isEmpty();
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> conditions = conditions();

        Path work = Files.createTempDirectory("fundwatch-bench-");
        LocalKafkaBroker broker = LocalKafkaBroker.builder().workDir(work.resolve("kafka")).build();
        LocalSchemaRegistry registryProcess = LocalSchemaRegistry.builder().workDir(work.resolve("registry")).build();
        FundwatchRuntime runtime = null;
        List<FundwatchRuntime> extra = new ArrayList<>(); // --instances beyond the first
        int instances = args.intValue("instances", 1);
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1");
        }
        boolean ok = true;
        try {
            CompletableFuture<Void> registryUp = CompletableFuture.runAsync(registryProcess::start);
            broker.start();
            registryUp.join();
            String bootstrap = broker.bootstrapServers();

            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("bootstrap.servers", bootstrap);
            flags.put("schema.registry.url", registryProcess.url());
            flags.put("application.id", APP_ID);
            flags.put("state.dir", work.resolve("state").toString());
            flags.put("http.port", "0");
            flags.put("http.bind.address", "127.0.0.1");
            flags.put("num.stream.threads", String.valueOf(threads));
            flags.put("topics.partitions", String.valueOf(partitions));
            flags.putAll(args.configFlags()); // e.g. --commit.interval.ms 200 for an experiment
            FundwatchConfig config = FundwatchConfig.load(null, Map.of(), flags);
            TopicNames names = config.topicNames();
            SchemaRegistryClient registry = RestSchemaRegistryClient.fromConfig(config.registryConfig());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.createInputs(admin, names, partitions, (short) 1);
                Workload workload = null;
                // A 30-day market of 12 honest platforms has ~560 k events; a bigger N needs a bigger market.
                for (int honest = args.intValue("honest-platforms", 12); workload == null; honest *= 2) {
                    try {
                        workload = Workload.generate(names, registry, events, args.intValue("days", 30), honest,
                                args.longValue("seed", fundwatch.simulator.MarketConfig.DEFAULT_SEED),
                                OpenLoop.bypassPlatformsFor(steps, bypassFraction));
                    } catch (Workload.TooSmallException e) {
                        log("%s; doubling the platforms", e.getMessage());
                    }
                }
                summary.put("generation", workload.describe());
                // D8's tracing follows money through every account; `--lookthrough.enabled false` measures without it.
                summary.put("lookThrough", config.topologySettings().lookThrough());
                Lag lag = new Lag(admin, APP_ID, names.inputs());

                // The registry is processed first, by a run that is then stopped: a real deployment knows its
                // platforms and accounts before the payments it replays, and the global stores stay in state.dir.
                log("preloading the registry: %d records", workload.registry.size());
                produce(bootstrap, workload.topics, workload.registry, "bench registry");
                runtime = new FundwatchRuntime(config, registry);
                runtime.start();
                awaitRunning(runtime);
                awaitCaughtUp(lag, Duration.ofSeconds(120));
                Thread.sleep(2_000); // global stores read the validated registry topics after the group commits
                runtime.close();
                runtime = null;

                log("preloading %d events (%d MB)", workload.events.size(), workload.events.bytes() >> 20);
                double produceRate = produce(bootstrap, workload.topics, workload.events, "bench preload");
                summary.put("preloadProducerRecordsPerSecond", round(produceRate));

                double ceiling = plainConsumer(bootstrap, Lag.partitions(admin,
                        List.of(names.custodyTransactions(), names.clearingPayments(), names.products())));
                log("plain consumer: %.0f records/s", ceiling);

                int replayed = workload.events.size();
                Map<String, Object> anchor = anchor(admin, bootstrap,
                        List.of(names.custodyTransactions(), names.clearingPayments(), names.products()), partitions, threads,
                        work.resolve("anchor-state"), replayed);
                summary.put("anchor", anchor);

                Map<String, Object> replay = new LinkedHashMap<>();
                workload.releaseEvents();
                System.gc();
                Optional<ProcessHandle> brokerProcess = Cpu.broker();
                if (brokerProcess.isEmpty()) {
                    log("WARNING: the broker's process was not found; its CPU time is not reported");
                }
                double app0 = Cpu.appSeconds();
                double broker0 = Cpu.seconds(brokerProcess);
                long t0 = System.nanoTime();
                runtime = new FundwatchRuntime(config, registry);
                runtime.start();
                // Scale-out: more instances of the same application.id, each with its own state directory, share
                // the tasks as separate deployments would (here in one JVM, so the app CPU below is their sum).
                for (int i = 1; i < instances; i++) {
                    Map<String, String> own = new LinkedHashMap<>(flags);
                    own.put("state.dir", work.resolve("state-" + i).toString());
                    FundwatchRuntime another = new FundwatchRuntime(FundwatchConfig.load(null, Map.of(), own),
                            registry);
                    extra.add(another);
                    another.start();
                }
                awaitRunning(runtime);
                for (FundwatchRuntime another : extra) {
                    awaitRunning(another);
                }
                long tRunning = System.nanoTime();
                Duration timeout = Duration.ofSeconds(args.longValue("replay-timeout",
                        Math.max(300, replayed / 500)));
                long[] caughtUp;
                try (Progress p = Progress.start("bench replay", replayed, "events", progressMode)) {
                    caughtUp = awaitCaughtUp(lag, timeout, p, replayed);
                }
                double appCpu = Cpu.appSeconds() - app0;
                double brokerCpu = Cpu.seconds(brokerProcess) - broker0;
                double inputSeconds = (caughtUp[0] - tRunning) / 1e9;
                double allSeconds = (caughtUp[1] - tRunning) / 1e9;
                // Caught up = input AND repartition topics drained: input lag alone reaches 0 long before the
                // detectors behind the repartition topics have done the work (measured: ~4x earlier).
                double replayRate = replayed / allSeconds;
                replay.put("events", replayed);
                replay.put("startupSeconds", round((tRunning - t0) / 1e9));
                replay.put("secondsFromRunningToInputLagZero", round(inputSeconds));
                replay.put("secondsFromRunningToRepartitionLagZero", round(allSeconds));
                replay.put("eventsPerSecondIncludingStartup", round(replayed / ((caughtUp[1] - t0) / 1e9)));
                replay.put("eventsPerSecondUntilInputLagZeroOnly", round(replayed / inputSeconds));
                replay.put("appCpuSeconds", round(appCpu));
                replay.put("brokerCpuSeconds", round(brokerCpu));
                replay.put("appCpuCoresBusy", round(appCpu / ((caughtUp[1] - t0) / 1e9)));
                replay.put("brokerCpuCoresBusy", round(brokerCpu / ((caughtUp[1] - t0) / 1e9)));
                summary.put("replayEventsPerSecond", round(replayRate));
                summary.put("appCpuSecondsPerMillionEvents", round(appCpu / (replayed / 1e6)));
                summary.put("brokerCpuSecondsPerMillionEvents", round(brokerCpu / (replayed / 1e6)));
                summary.put("plainConsumerRecordsPerSecond", round(ceiling));
                summary.put("replayToCeilingRatio", Math.round(replayRate / ceiling * 1000) / 1000.0);
                double anchorRate = ((Number) anchor.get("eventsPerSecond")).doubleValue();
                summary.put("anchorEventsPerSecond", round(anchorRate));
                summary.put("replayToAnchorRatio", Math.round(replayRate / anchorRate * 1000) / 1000.0);
                // Every instance's producers, while they are still open (the metrics go with them).
                Map<org.apache.kafka.common.MetricName, org.apache.kafka.common.Metric> sent = new LinkedHashMap<>();
                runtime.streamsMetrics().forEach(sent::put);
                extra.forEach(another -> another.streamsMetrics().forEach(sent::put));
                replay.put("internalTopicFanOut", FanOut.measure(sent, APP_ID, replayed));
                summary.put("replay", replay);
                log("replay: %d events, %.0f events/s (caught up %.1f s after RUNNING; input lag alone was 0 after"
                        + " %.1f s)", replayed, replayRate, allSeconds, inputSeconds);

                if (openLoop) {
                    OpenLoop loop = new OpenLoop(bootstrap, registry, names, workload, lag, bypassFraction);
                    List<Map<String, Object>> results;
                    long loopStart = System.nanoTime();
                    // The open loop is paced by the clock: its progress is the seconds of its steps.
                    try (Progress p = Progress.start("bench open loop", steps.stream().mapToLong(OpenLoop.Step::seconds)
                            .sum(), "s", progressMode).follow(() -> (System.nanoTime() - loopStart) / 1_000_000_000L)) {
                        results = loop.run(steps);
                    }
                    summary.put("sustainableOpenLoopEventsPerSecond", OpenLoop.sustainable(results));
                    summary.put("latencyAt10kEventsPerSecond", results.stream()
                            .filter(r -> ((Number) r.get("targetEventsPerSecond")).intValue() == 10_000)
                            .findFirst().map(r -> r.get("latencyMs")).orElse(null));
                    summary.put("openLoopSteps", results);
                    if (results.stream().allMatch(r -> ((Number) r.get("latencySamples")).longValue() == 0)) {
                        log("FAILED: no alert latency sample arrived in any open-loop step");
                        ok = false;
                    }
                }
            }
        } finally {
            extra.forEach(FundwatchRuntime::close);
            if (runtime != null) {
                runtime.close();
            }
            registryProcess.close();
            broker.close();
            deleteQuietly(work);
        }
        conditions.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("events", events);
        config.put("steps", steps.stream().map(s -> s.rate() + ":" + s.seconds()).toList());
        config.put("partitions", partitions);
        config.put("streamThreads", threads);
        config.put("instances", instances);
        config.put("processingGuarantee", "exactly_once_v2");
        config.put("bypassFraction", bypassFraction);
        config.put("overrides", args.configFlags());
        config.putAll(conditions);
        Map<String, Object> out = new LinkedHashMap<>();
        out.putAll(summary);
        out.put("config", config);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        System.out.println(json);
        String file = args.get("out", null);
        if (file != null) {
            Path p = Path.of(file);
            if (p.toAbsolutePath().getParent() != null) {
                Files.createDirectories(p.toAbsolutePath().getParent());
            }
            Files.writeString(p, json + "\n", StandardCharsets.UTF_8);
            log("summary written to %s", p);
        }
        return ok ? 0 : 1;
    }

    /**
     * The anchor ({@link Anchor}) over the same preloaded input, timed like the replay: from RUNNING until its input
     * and repartition lag are drained, with the CPU this JVM spent meanwhile (nothing else of the bench runs then).
     */
    static Map<String, Object> anchor(Admin admin, String bootstrap, List<String> inputs, int partitions, int threads,
            Path stateDir, int events) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>(Anchor.describe(partitions, threads));
        Lag lag = Anchor.lag(admin, inputs);
        double cpu0 = Cpu.appSeconds();
        try (org.apache.kafka.streams.KafkaStreams streams = Anchor.start(bootstrap, inputs, partitions, threads,
                stateDir)) {
            Anchor.awaitRunning(streams, Duration.ofSeconds(120));
            long tRunning = System.nanoTime();
            long[] caughtUp = awaitCaughtUp(lag, Duration.ofSeconds(Math.max(300, events / 2_000)));
            double seconds = (caughtUp[1] - tRunning) / 1e9;
            double cpu = Cpu.appSeconds() - cpu0;
            result.put("events", events);
            result.put("secondsFromRunningToRepartitionLagZero", round(seconds));
            result.put("eventsPerSecond", round(events / seconds));
            result.put("cpuSecondsPerMillionEvents", round(cpu / (events / 1e6)));
            log("anchor: %d events, %.0f events/s, %.1f CPU-s per million events", events, events / seconds,
                    cpu / (events / 1e6));
        }
        return result;
    }

    /** Sends everything as fast as the producer goes; returns records/s. */
    static double produce(String bootstrap, List<String> topics, EncodedBatch batch, String task) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fundwatch-bench-preload");
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer());
                Progress progress = Progress.start(task, batch.size(), "records", progressMode)) {
            for (int i = 0; i < batch.size(); i++) {
                if ((i & 0x3FF) == 0) {
                    progress.stepTo(i);
                }
                byte[] value = batch.value(i);
                producer.send(new ProducerRecord<>(topics.get(batch.topic(i)), batch.key(i),
                                value.length == 0 ? null : value), // empty = tombstone: no Confluent value is empty
                        (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
            progress.stepTo(batch.size());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preload failed: " + failure.get(), failure.get());
        }
        return batch.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** The ceiling: a plain read_committed byte[] consumer reading the preloaded input from the start. */
    static double plainConsumer(String bootstrap, List<TopicPartition> partitions) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "fundwatch-bench-ceiling");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            long t0 = System.nanoTime();
            long count = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                count += records.count();
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("plain consumer did not reach the end in 5 minutes");
                }
            }
            return count / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static void awaitRunning(FundwatchRuntime runtime) throws InterruptedException {
        if (!runtime.awaitRunning(Duration.ofSeconds(120))) {
            throw new IllegalStateException("fundwatch did not reach RUNNING: " + runtime.state());
        }
    }

    /**
     * Polls the group's lag until the input lag is 0 and the repartition lag at most one record per partition (a
     * committed offset may stop just before a commit marker). Returns the nanoTimes at which each first held.
     */
    static long[] awaitCaughtUp(Lag lag, Duration timeout) throws Exception {
        return awaitCaughtUp(lag, timeout, Progress.none(), 0);
    }

    /** Also shows {@code events - input lag} as done on {@code progress}, then the repartition lag as it drains. */
    static long[] awaitCaughtUp(Lag lag, Duration timeout, Progress progress, long events) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long inputZero = 0;
        long lastLog = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Lag.Sample s = lag.sample();
            if (inputZero == 0 && s.input() == 0) {
                inputZero = s.nanoTime();
            }
            progress.stepTo(Math.max(0, events - s.input()));
            progress.message("repartition lag " + s.repartition());
            if (inputZero != 0 && s.repartition() <= s.repartitionPartitions()) {
                return new long[] {inputZero, s.nanoTime()};
            }
            if (s.nanoTime() - lastLog > 5e9) {
                log("  lag: input %d, repartition %d", s.input(), s.repartition());
                lastLog = s.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("fundwatch did not catch up within " + timeout + ": " + lag.sample());
    }

    static Map<String, Object> conditions() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cores", Runtime.getRuntime().availableProcessors());
        c.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        c.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        c.put("gitCommit", git("rev-parse", "HEAD"));
        String dirty = git("status", "--porcelain", "--untracked-files=no");
        c.put("gitDirty", dirty != null && !dirty.isBlank());
        c.put("startedAt", Instant.now().toString());
        c.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // Other brokers or fundwatch JVMs on the machine make the numbers meaningless; say so in the result.
        long others = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(l -> l.contains("kafka.Kafka") || l.contains("fundwatch.app.Main")
                        || l.contains("surefire")).orElse(false))
                .count();
        c.put("otherKafkaFundwatchOrTestJvmsAtStart", others);
        return c;
    }

    private static String git(String... command) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Two decimals; NaN (a CPU time that could not be read) becomes null in the JSON, never a made-up 0. */
    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
    }

    static void log(String format, Object... args) {
        System.err.printf("bench: " + format + "%n", args);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
