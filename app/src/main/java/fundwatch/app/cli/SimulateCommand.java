package fundwatch.app.cli;

import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.Pacing;
import fundwatch.simulator.PublishResult;
import fundwatch.simulator.Publisher;
import fundwatch.simulator.TopicRole;
import fundwatch.simulator.TruthWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code fundwatch simulate}: publishes the simulated market into any cluster through the public contract
 * (Avro via the registry, the same path a custody bank uses), optionally writing the ground truth.
 */
public final class SimulateCommand {
    private SimulateCommand() {
    }

    public static int main(Args args) throws Exception {
        String bootstrap = args.get("bootstrap-servers", null);
        String registryUrl = args.get("schema-registry", null);
        if (bootstrap == null || registryUrl == null) {
            throw new IllegalArgumentException("simulate needs --bootstrap-servers and --schema-registry");
        }
        MarketConfig.Builder market = MarketArgs.builder(args, MarketConfig.DEFAULT_SIMULATED_DAYS);
        MarketSimulator simulator = new MarketSimulator(market.build());
        String truth = args.get("truth", null);
        if (truth != null) {
            TruthWriter.write(simulator.truth(), Path.of(truth));
        }
        Pacing pacing = Pacing.scaled(Double.parseDouble(args.get("time-scale", "0")));
        double rate = Double.parseDouble(args.get("rate", "0"));
        if (rate > 0) {
            pacing = pacing.withMaxEventsPerSecond(rate);
        }
        try (Publisher publisher = Publisher.create(Map.of("bootstrap.servers", bootstrap),
                RestSchemaRegistryClient.fromConfig(Map.of("schema.registry.url", registryUrl)),
                TopicRole.defaultTopics(), pacing)) {
            PublishResult result = publisher.publishMarket(simulator, args.duration("duration", null));
            System.err.println("fundwatch simulate: " + result);
        }
        return 0;
    }
}
