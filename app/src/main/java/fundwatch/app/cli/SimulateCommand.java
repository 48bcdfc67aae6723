package fundwatch.app.cli;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.progress.Progress;
import fundwatch.app.runtime.TopicSetup;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.Pacing;
import fundwatch.simulator.PublishResult;
import fundwatch.simulator.Publisher;
import fundwatch.simulator.TopicRole;
import fundwatch.simulator.TruthWriter;
import fundwatch.topology.catalog.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fundwatch simulate}: publishes the simulated market into any cluster through the public contract
 * (Avro via the registry, the same path a custody bank uses), optionally writing the ground truth. Configured
 * exactly like {@code run} — {@link FundwatchConfig}: file, {@code FUNDWATCH_*}, flags — so it finds the same
 * cluster, registry, topic names and SASL/TLS settings.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        header = "Publish a synthetic market into any cluster, configured like run.",
        description = "Publish a synthetic market through the public contract (Avro via the schema registry) into "
                + "any cluster, configured like `run`: the same --config FILE, FUNDWATCH_* variables and --KEY=VALUE "
                + "flags, so the same bootstrap servers, registry, topic names and SASL/TLS settings.",
        footer = ConfigOptions.FOOTER)
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Same as --bootstrap.servers (default: from the configuration, localhost:9092).")
    String bootstrap;

    @Option(names = "--schema-registry", paramLabel = "URL",
            description = "Same as --schema.registry.url (default: from the configuration, http://localhost:8081).")
    String registryUrl;

    @Mixin
    MarketOptions market;

    @Option(names = "--time-scale", paramLabel = "N", description = "Simulated seconds per real second; 0: as fast "
            + "as possible (default: 0).")
    double timeScale;

    @Option(names = "--rate", paramLabel = "N", description = "At most N events a second; 0: no limit (default: 0).")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this much real time, e.g. 60s (default: when the market ends).")
    Duration duration;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the market's ground truth (JSON lines).")
    Path truth;

    @Mixin
    ProgressOptions progress;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        config.flags(); // a mistyped flag first, with its suggestion
        if (!(timeScale >= 0) || !(rate >= 0) || Double.isInfinite(timeScale) || Double.isInfinite(rate)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--time-scale and --rate must be numbers >= 0");
        }
        Map<String, String> named = new LinkedHashMap<>();
        if (bootstrap != null) {
            named.put("bootstrap.servers", bootstrap);
        }
        if (registryUrl != null) {
            named.put("schema.registry.url", registryUrl);
        }
        FundwatchConfig loaded = config.load(System.getenv(), named);
        MarketConfig.Builder builder = market.builder(MarketConfig.DEFAULT_SIMULATED_DAYS, spec.commandLine());
        MarketSimulator simulator = new MarketSimulator(builder.build());
        if (truth != null) {
            TruthWriter.write(simulator.truth(), truth);
        }
        // As run does: the input topics are the operator's; a missing one is named at once, not after a send timeout.
        Map<String, Object> adminConfig = new LinkedHashMap<>(loaded.producerProperties());
        adminConfig.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(adminConfig)) {
            TopicSetup.requireInputs(admin, loaded.topicNames());
        }
        Pacing pacing = Pacing.scaled(timeScale);
        if (rate > 0) {
            pacing = pacing.withMaxEventsPerSecond(rate);
        }
        try (Publisher publisher = Publisher.create(loaded.producerProperties(),
                RestSchemaRegistryClient.fromConfig(loaded.registryConfig()), topics(loaded.topicNames()), pacing)) {
            long total = simulator.registry().size() + Progress.size(simulator.events());
            PublishResult result;
            try (Progress p = Progress.start("simulate", total, "events", progress.mode)
                    .follow(() -> publisher.acknowledged().values().stream().mapToLong(Long::longValue).sum())) {
                result = publisher.publishMarket(simulator, duration);
            }
            System.err.println("fundwatch simulate: " + result);
        }
        return 0;
    }

    /** The simulator's roles under the configured names (what `run` reads). */
    public static Map<TopicRole, String> topics(TopicNames names) {
        Map<TopicRole, String> m = new EnumMap<>(TopicRole.class);
        m.put(TopicRole.CUSTODY, names.custodyTransactions());
        m.put(TopicRole.CLEARING, names.clearingPayments());
        m.put(TopicRole.PLATFORMS, names.platforms());
        m.put(TopicRole.ACCOUNTS, names.accounts());
        m.put(TopicRole.PRODUCTS, names.products());
        m.put(TopicRole.RATES, names.rates());
        m.put(TopicRole.RULES, names.rules());
        return m;
    }
}
