package fundwatch.app.cli;

import fundwatch.app.Signals;
import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.runtime.FundwatchRuntime;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fundwatch run}: production, against an external Kafka and schema registry. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        header = "Production: external Kafka and schema registry, from a config file, FUNDWATCH_* and flags.",
        description = "Production: external Kafka + schema registry, configured by --config FILE, FUNDWATCH_* "
                + "environment variables and --KEY=VALUE flags. Stops on SIGTERM or Ctrl-C, committing first.",
        footer = ConfigOptions.FOOTER)
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        FundwatchConfig loaded = config.load();
        FundwatchRuntime runtime = new FundwatchRuntime(loaded,
                RestSchemaRegistryClient.fromConfig(loaded.registryConfig()));
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
