package fundwatch.topology.alert;

import fundwatch.avro.FundFlowAlert;
import fundwatch.topology.catalog.Topic;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** The last step of every detector: its findings through its own lifecycle store to the one alert topic. */
public final class Alerts {
    private Alerts() {
    }

    /**
     * @param prefix the detector's name in processor and store names, e.g. "custody-bypass"; the lifecycle store
     *               is {@code <prefix>-alert-lifecycle-store}
     */
    public static void emit(StreamsBuilder builder, KStream<String, Finding> findings, String prefix,
            TopicCatalog topics, FundwatchMetrics metrics) {
        String store = prefix + "-alert-lifecycle-store";
        builder.addStateStore(StoreBuilders.keyValue(store, JsonSerde.of(Episode.class)));
        Topic<String, FundFlowAlert> alerts = topics.alerts();
        findings.process(() -> new AlertLifecycleProcessor(store, metrics), Named.as(prefix + "-alert-lifecycle"),
                        store)
                .to(alerts.name(), Produced.with(alerts.keySerde(), alerts.valueSerde())
                        .withName(prefix + "-alerts-sink"));
    }
}
