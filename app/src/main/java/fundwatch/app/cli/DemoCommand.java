package fundwatch.app.cli;

import fundwatch.app.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fundwatch demo}: everything on this machine, no Docker. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        header = "Everything on this machine (broker, registry, market, fundwatch); prints alerts as they arrive.",
        description = {"Everything on this machine, no Docker: a KRaft broker and an Apicurio registry (child "
                + "processes), the contract's topics, fundwatch, and a simulated market publishing through the "
                + "registry; prints each alert as it arrives.",
                "Ctrl-C (or SIGTERM) stops it in order within seconds: the market, Kafka Streams (committing), the "
                        + "printer, the registry, the broker; a second Ctrl-C exits at once."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop by itself after this long, e.g. 60s, 5m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--json", description = "One FundFlowAlert JSON object per line on stdout (logs go to stderr).")
    boolean json;

    @Option(names = "--seed", paramLabel = "N", description = "The market's random seed (default: 20160412).")
    long seed = fundwatch.simulator.MarketConfig.DEFAULT_SEED;

    @Option(names = "--no-market", description = "Only the stack (broker, registry, topics, fundwatch), for your own "
            + "producers.")
    boolean noMarket;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the market's ground truth (JSON lines) "
            + "for `evaluate --truth`.")
    Path truth;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP endpoints (default: 8080).")
    int httpPort = 8080;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "The broker's port (default: 19092).")
    int kafkaPort = 19092;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "The registry's port (default: 18081).")
    int registryPort = 18081;

    @Option(names = "--http-auth-tokens", paramLabel = "FILE", description = "Require bearer tokens on HTTP (a file "
            + "of SHA-256 hashes, README \"Authenticated HTTP\"); off by default in the demo.")
    Path httpAuthTokens;

    @picocli.CommandLine.Mixin
    ProgressOptions progress;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkPort("--http-port", httpPort);
        checkPort("--kafka-port", kafkaPort);
        checkPort("--registry-port", registryPort);
        return Demo.main(new Demo.Options(duration, json, seed, noMarket, truth, httpPort, kafkaPort, registryPort,
                httpAuthTokens, progress.mode));
    }

    private void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    flag + " must be between 0 and 65535, was " + port);
        }
    }
}
