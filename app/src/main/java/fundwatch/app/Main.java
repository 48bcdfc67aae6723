package fundwatch.app;

import fundwatch.app.cli.Args;
import fundwatch.app.cli.RulesCommand;
import fundwatch.app.cli.SimulateCommand;
import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.demo.Demo;
import fundwatch.app.evaluate.EvaluateCommand;
import fundwatch.app.runtime.FundwatchRuntime;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The launcher behind {@code bin/fundwatch}: wires and starts, nothing else. */
public final class Main {
    private Main() {
    }

    private static final String USAGE = """
            usage: fundwatch <command> [options]

              run       [--config FILE] [--<config.key>=VALUE ...]
                        production: external Kafka + schema registry; precedence defaults < file < FUNDWATCH_* env < flags
              demo      [--duration 60s] [--json] [--seed N] [--no-market] [--truth FILE] [--http-port 8080]
                        [--kafka-port 19092] [--registry-port 18081] [--http-auth-tokens FILE]
                        everything on this machine: KRaft broker, Apicurio registry, simulated market, fundwatch
              simulate  --bootstrap-servers HOST:PORT --schema-registry URL [--seed N] [--days N] [--platforms N]
                        [--volume X] [--schemes default|all|none|NAME[@ONSET],...]
                        [--time-scale N] [--rate N] [--duration 60s] [--truth FILE]
                        publish a synthetic market through the public contract into any cluster
              rules     --file RULE.properties | --reset DETECTOR  [--dry-run] [--config FILE] [--<config.key>=VALUE]
                        publish a detector's thresholds to fundwatch.rules (checked against its parameters first)
              evaluate  [--amlsim DIR] [--rules FILE] [--json]
                        replay the labelled AMLSim export through the topology; precision/recall per pattern type
              evaluate  --truth FILE (--alerts FILE | --alerts-from-topic TOPIC --bootstrap-servers B
                        --schema-registry URL) [--json]     score alerts against a simulated market's truth
              evaluate  --market [--seed N] [--days N] [--platforms N] [--volume X] [--schemes ...] [--json]
                        simulate a market, replay it through the topology, score it against its truth
            """;

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            System.err.print(USAGE);
            System.exit(argv.length == 0 ? 2 : 0);
        }
        int code;
        try {
            code = switch (argv[0]) {
                case "run" -> run(Args.parse(argv, 1, Set.of(), Set.of("config", "*")));
                case "demo" -> Demo.main(Args.parse(argv, 1, Set.of("json", "no-market"),
                        Set.of("duration", "seed", "http-port", "kafka-port", "registry-port", "truth",
                                "http-auth-tokens")));
                case "simulate" -> SimulateCommand.main(Args.parse(argv, 1, Set.of(),
                        Set.of("bootstrap-servers", "schema-registry", "seed", "days", "time-scale", "rate",
                                "duration", "truth", "platforms", "volume", "schemes")));
                case "rules" -> RulesCommand.main(Args.parse(argv, 1, Set.of("dry-run"),
                        Set.of("file", "reset", "config", "*")));
                case "evaluate" -> EvaluateCommand.main(Args.parse(argv, 1, Set.of("json", "market"),
                        Set.of("amlsim", "rules", "truth", "alerts", "alerts-from-topic", "bootstrap-servers",
                                "schema-registry", "seed", "days", "platforms", "volume", "schemes")));
                default -> {
                    System.err.print("unknown command '" + argv[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (FundwatchConfig.ConfigException | IllegalArgumentException e) {
            System.err.println("fundwatch: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    private static int run(Args args) throws Exception {
        String file = args.get("config", null);
        FundwatchConfig config = FundwatchConfig.load(file == null ? null : Path.of(file), System.getenv(),
                args.configFlags());
        FundwatchRuntime runtime = new FundwatchRuntime(config,
                RestSchemaRegistryClient.fromConfig(config.registryConfig()));
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM / Ctrl-C are an operator's "stop": handled here rather than in a shutdown hook, so that Kafka
        // Streams is closed (committing its open transaction) before the JVM starts exiting, and the exit code
        // is 0, not the 143 a signal-terminated JVM reports. A hook still covers other exits.
        Signals.onTerminate(stop::countDown);
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "fundwatch-shutdown"));
        try {
            runtime.start();
        } catch (IllegalStateException e) {
            System.err.println("fundwatch: " + e.getMessage());
            runtime.close();
            return 1;
        }
        stop.await();
        System.err.println("fundwatch: stopping");
        runtime.close();
        return 0;
    }
}
