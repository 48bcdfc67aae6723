package fundwatch.app.demo;

import fundwatch.app.Signals;
import fundwatch.avro.AccountRegistration;
import fundwatch.app.cli.SimulateCommand;
import fundwatch.app.progress.Progress;
import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.app.runtime.FundwatchRuntime;
import fundwatch.app.runtime.TopicSetup;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.Pacing;
import fundwatch.simulator.Publisher;
import fundwatch.simulator.Scheme;
import fundwatch.simulator.SimEvent;
import fundwatch.simulator.TopicRole;
import fundwatch.simulator.TruthRecord;
import fundwatch.simulator.TruthWriter;
import fundwatch.topology.catalog.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code fundwatch demo}: the whole system on one machine with no Docker — a KRaft broker and an Apicurio
 * registry as child processes, the contract's topics, fundwatch itself, the simulated market publishing
 * through the registry like a bank would, and a read_committed consumer printing alerts as they arrive.
 */
public final class Demo {
    /** One simulated hour per real second: a day of market in 24 s. */
    static final double TIME_SCALE = 3600;

    private Demo() {
    }

    /** What {@code fundwatch demo} was asked for (see DemoCommand for each flag's meaning). */
    public record Options(Duration duration, boolean json, long seed, boolean noMarket, Path truth, int httpPort,
            int kafkaPort, int registryPort, Path httpAuthTokens, Progress.Mode progress) {
    }

    public static int main(Options args) throws Exception {
        Duration duration = args.duration();
        boolean json = args.json();
        PrintStream out = System.out;
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("fundwatch-demo-");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // Ctrl-C and SIGTERM only ask for a stop; this thread then stops everything in order (publisher, Kafka
        // Streams with its last commit, printer, registry, broker). Were they left to the JVM, every shutdown hook
        // would run at once and the broker would be gone before Kafka Streams committed. The broker and registry
        // run in their own session (ChildProcess, setsid), so the terminal's SIGINT does not reach them either.
        Signals.onTerminate(stop::countDown);
        // Any other exit (an uncaught error, SIGHUP): still release the main thread and wait for its clean-up —
        // unless a second Ctrl-C asked to leave now (the children's own hooks still stop them).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            if (Signals.insisted()) {
                return;
            }
            try {
                cleanedUp.await(40, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fundwatch-demo-stop"));

        LocalKafkaBroker broker = LocalKafkaBroker.builder().port(args.kafkaPort())
                .workDir(work.resolve("kafka")).build();
        LocalSchemaRegistry registryProcess = LocalSchemaRegistry.builder()
                .port(args.registryPort()).workDir(work.resolve("registry")).build();
        FundwatchRuntime runtime = null;
        AlertPrinter printer = null;
        Thread printerThread = null;
        Publisher publisher = null;
        Thread marketThread = null;
        Progress history = Progress.none();
        try {
            // The broker and the registry start in parallel: together ~8 s instead of ~15 s.
            CompletableFuture<Void> registryUp = CompletableFuture.runAsync(registryProcess::start);
            broker.start();
            registryUp.join();
            if (stop.getCount() == 0) {
                return 0;
            }
            String bootstrap = broker.bootstrapServers();
            String registryUrl = registryProcess.url();

            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("bootstrap.servers", bootstrap);
            flags.put("schema.registry.url", registryUrl);
            flags.put("application.id", "fundwatch-demo");
            flags.put("state.dir", work.resolve("state").toString());
            flags.put("http.port", String.valueOf(args.httpPort()));
            flags.put("http.bind.address", "127.0.0.1");
            // Authentication is off in the demo unless asked for (README: "Authenticated HTTP").
            if (args.httpAuthTokens() != null) {
                flags.put("http.auth.tokens.file", args.httpAuthTokens().toString());
            }
            flags.put("num.stream.threads", "1");
            flags.put("topics.partitions", "3");
            // The demo's config is its own: FUNDWATCH_* variables meant for `run` do not leak into it.
            FundwatchConfig config = FundwatchConfig.load(null, Map.of(), flags);
            TopicNames names = config.topicNames();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.createInputs(admin, names, 3, (short) 1);
            }
            SchemaRegistryClient registry = RestSchemaRegistryClient.fromConfig(config.registryConfig());
            runtime = new FundwatchRuntime(config, registry);
            runtime.start();
            if (!runtime.awaitRunning(Duration.ofSeconds(60))) {
                if (stop.getCount() == 0) {
                    return 0;
                }
                throw new IllegalStateException("fundwatch did not reach RUNNING: " + runtime.state());
            }
            System.err.printf("fundwatch demo ready after %.1f s: bootstrap=%s registry=%s http=http://127.0.0.1:%d%n",
                    (System.nanoTime() - started) / 1e9, bootstrap, registryUrl, runtime.httpPort());

            printer = new AlertPrinter(bootstrap, registry, names.alerts(), json, out, started);
            printerThread = new Thread(printer, "fundwatch-demo-printer");
            printerThread.start();

            if (!args.noMarket()) {
                DemoMarket demoMarket = market(args.seed(), duration, Instant.now());
                MarketSimulator market = new MarketSimulator(demoMarket.config());
                // What to look for: each planted scheme, its subject, and when it starts (history or live part);
                // the products a scheme issues and the honest near misses are in the --truth file.
                List<TruthRecord> truth = market.truth();
                for (TruthRecord t : truth.stream()
                        .filter(t -> !t.isNearMiss() && !"PRODUCT".equals(t.subjectType())).toList()) {
                    System.err.printf("fundwatch demo: planted %s on %s from %s (%s) -> expect %s%n", t.scheme(),
                            t.subjectId(), t.onsetEventTime(),
                            t.onsetEventTime().isBefore(demoMarket.liveFrom()) ? "history" : "live", t.detectors());
                }
                if (args.truth() != null) {
                    // The market's ground truth, for `evaluate --truth FILE --alerts <this run's --json output>`.
                    TruthWriter.write(truth, args.truth());
                }
                publisher = Publisher.create(Map.of("bootstrap.servers", bootstrap), registry,
                        SimulateCommand.topics(names),
                        Pacing.scaled(TIME_SCALE));
                Publisher p = publisher;
                // The registry first, then the money once fundwatch's registry copy holds the last account: published
                // together, the history's first payments could be read before their accounts' registrations and be
                // judged as between unregistered accounts (D3b then missed withdrawals' payouts on day one).
                FundwatchRuntime known = runtime;
                String lastAccount = market.registry().stream().filter(e -> e.role() == TopicRole.ACCOUNTS)
                        .map(e -> ((AccountRegistration) e.value()).getAccountId()).reduce((a, b) -> b).orElse(null);
                marketThread = new Thread(() -> {
                    p.publishAll(market.registry());
                    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (lastAccount != null && !known.knowsAccount(lastAccount) && System.nanoTime() < until) {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    p.publish(market.events(), demoMarket.liveFrom(), null);
                }, "fundwatch-demo-market");
                marketThread.setDaemon(true);
                marketThread.start();
                // The history goes as fast as fundwatch takes it: show how far it is. Alerts printed on the same
                // terminal would run into a live bar, so then a line every 10 s instead.
                Progress.Mode mode = args.progress() == Progress.Mode.AUTO && System.console() != null
                        ? Progress.Mode.LOG : args.progress();
                // Progress is what fundwatch has taken in (accepted, duplicates, dead letters), not what was sent: the
                // publisher is done with the history in seconds, fundwatch needs half a minute.
                FundwatchRuntime app = runtime;
                history = Progress.start("demo history", historySize(market, demoMarket.liveFrom()), "events", mode)
                        .follow(() -> processed(app));
            }
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            return 0;
        } finally {
            history.close();
            System.err.println("fundwatch demo: stopping");
            StopWatch took = new StopWatch();
            if (publisher != null) {
                publisher.stop();
                if (marketThread != null) {
                    marketThread.join(5_000);
                }
                publisher.close();
                took.lap("market");
            }
            if (runtime != null) {
                runtime.close();
                took.lap("streams");
            }
            if (printer != null) {
                // Alerts committed by Kafka Streams' last transaction are still printed before the consumer stops.
                printer.finish(Duration.ofSeconds(3));
                printerThread.join(5_000);
                if (printerThread.isAlive()) {
                    printer.stop(); // wakes a poll that hangs on a broker problem
                    printerThread.join(5_000);
                }
                took.lap("printer");
                System.err.println("fundwatch demo: " + printer.printed() + " alert revisions printed");
            }
            registryProcess.close();
            took.lap("registry");
            broker.close();
            took.lap("broker");
            deleteQuietly(work);
            took.lap("files"); // the broker's log and the state stores: seconds on a busy disk
            System.err.println("fundwatch demo: stopped in " + took);
            cleanedUp.countDown();
        }
    }

    /**
     * Simulated days published as history, as fast as fundwatch takes them, before the live part: D6 judges a week
     * against the 28 days before it, and only for a platform it has watched since then.
     */
    static final int HISTORY_DAYS = 37;
    /** A thin market (a twentieth of the default business), so that the history replays in about half a minute. */
    static final double VOLUME = 0.05;

    /** The demo's market, and the simulated instant from which it is replayed at {@link #TIME_SCALE}. */
    record DemoMarket(MarketConfig config, Instant liveFrom) {
    }

    /**
     * The simulated span ends at the wall clock: accelerated time that ran ahead of it would make events "from
     * the future", which fundwatch rightly dead-letters. The live part covers --duration (30 days without one);
     * before it lie {@link #HISTORY_DAYS} of history. Schemes that need history start in it — the growth spurt
     * after a month of steady business, the borrower's loans and the unlicensed hub early enough to be raised
     * and paid back, the pool and the Ponzi from the start — and the custody schemes at the start of the live
     * part, so their first alerts arrive while you watch.
     * The rectifying grower needs two whole calendar months and is left out.
     */
    static DemoMarket market(long seed, Duration duration, Instant now) {
        long liveSeconds = duration == null ? Duration.ofDays(30).toSeconds()
                : (long) Math.ceil(duration.toSeconds() * TIME_SCALE) + 3600;
        Instant liveFrom = now.truncatedTo(ChronoUnit.SECONDS).minusSeconds(liveSeconds);
        Instant start = liveFrom.minus(Duration.ofDays(HISTORY_DAYS));
        int days = (int) Math.ceil((HISTORY_DAYS * 86_400.0 + liveSeconds) / 86_400.0);
        Duration live = Duration.ofDays(HISTORY_DAYS);
        MarketConfig config = MarketConfig.builder().seed(seed)
                .start(start).simulatedDays(days).volume(VOLUME).noSchemes()
                .scheme(Scheme.RAPID_GROWTH, Duration.ofDays(32))
                .scheme(Scheme.BORROWER_OVER_CAPS, Duration.ofDays(HISTORY_DAYS - 14))
                .scheme(Scheme.UNLICENSED_HUB, Duration.ofDays(HISTORY_DAYS - 12))
                // Pooling and the Ponzi from the start: either opening after a month would also be a spurt (D6)
                .scheme(Scheme.POOLING, Duration.ZERO)
                .scheme(Scheme.PONZI, Duration.ZERO)
                // The payment institutions' schemes two days before the live part: found in the history, still going on
                .scheme(Scheme.PAYMENT_RESERVE_MISUSE, Duration.ofDays(HISTORY_DAYS - 2))
                .scheme(Scheme.CLEARING_BYPASS, Duration.ofDays(HISTORY_DAYS - 2))
                .scheme(Scheme.UNLICENSED_PAYMENT, Duration.ofDays(HISTORY_DAYS - 2))
                .scheme(Scheme.CUSTODY_BYPASS, live)
                .scheme(Scheme.UNRECONCILED_FLOW, live)
                // D8 late in the history, so the traced paths behind both alerts are still held when you ask
                // for them (GET /alerts/{id}/trace); self-financing from the start (its lenders' money, like the Ponzi's).
                .scheme(Scheme.SELF_FINANCING, Duration.ZERO)
                .scheme(Scheme.FICTITIOUS_BORROWERS, Duration.ofDays(HISTORY_DAYS - 3))
                .build();
        return new DemoMarket(config, liveFrom);
    }

    /** Where the stopping time goes, for the one line that reports it: "4.1 s (market 0.1, streams 2.0, ...)". */
    private static final class StopWatch {
        private final long start = System.nanoTime();
        private long last = start;
        private final StringBuilder laps = new StringBuilder();

        void lap(String name) {
            long now = System.nanoTime();
            laps.append(laps.length() == 0 ? "" : ", ").append(name)
                    .append(String.format(java.util.Locale.ROOT, " %.1f", (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.1f s (%s)", (System.nanoTime() - start) / 1e9, laps);
        }
    }

    static long processed(FundwatchRuntime runtime) {
        double n = 0;
        for (String counter : new String[] {"fundwatch.events.consumed", "fundwatch.duplicates",
                "fundwatch.dead.letters"}) {
            n += runtime.meters().find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
        }
        return (long) n;
    }

    /** The registry and the events before the live part: what is published unpaced. */
    static long historySize(MarketSimulator market, Instant liveFrom) {
        long n = market.registry().size();
        long until = liveFrom.toEpochMilli();
        for (Iterator<SimEvent> events = market.events(); events.hasNext(); n++) {
            if (events.next().eventTimeMillis() > until) {
                break;
            }
        }
        return n;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("fundwatch demo: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
