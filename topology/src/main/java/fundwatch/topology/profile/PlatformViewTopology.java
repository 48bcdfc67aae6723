package fundwatch.topology.profile;

import fundwatch.avro.FundFlowAlert;
import fundwatch.topology.catalog.Topic;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.ingest.EventTimeExtractor;
import fundwatch.topology.support.InternalAvroSerde;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Reads the committed alert topic back, keyed by platform, into the stores behind GET /platforms/{id} and
 * GET /alerts: each alert's latest revision and each platform's combined risk profile.
 */
public final class PlatformViewTopology {
    private PlatformViewTopology() {
    }

    public static void wire(StreamsBuilder builder, TopicCatalog topics, int partitions) {
        Topic<String, FundFlowAlert> alerts = topics.alerts();
        builder.addStateStore(StoreBuilders.keyValue(PlatformViewProcessor.PROFILE_STORE,
                JsonSerde.of(RiskProfile.class)));
        builder.addStateStore(StoreBuilders.keyValue(PlatformViewProcessor.ALERTS_STORE,
                InternalAvroSerde.of(FundFlowAlert.class)));
        builder.addStateStore(StoreBuilders.keyValue(PlatformViewProcessor.ALERTS_INDEX_STORE, Serdes.String()));
        builder.stream(alerts.name(), Consumed.with(alerts.keySerde(), alerts.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(FundFlowAlert.class,
                                FundFlowAlert::getLastEventTime))
                        .withName("platform-view-source"))
                .selectKey((k, a) -> a.getPlatformId() == null ? PlatformViewProcessor.NO_PLATFORM : a.getPlatformId(),
                        Named.as("platform-view-key-by-platform"))
                .repartition(Repartitioned.<String, FundFlowAlert>as("platform-view-alerts")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalAvroSerde.of(FundFlowAlert.class))
                        .withNumberOfPartitions(partitions))
                .process(() -> new PlatformViewProcessor(PlatformViewProcessor.PROFILE_STORE,
                                PlatformViewProcessor.ALERTS_STORE, PlatformViewProcessor.ALERTS_INDEX_STORE),
                        Named.as("platform-view"), PlatformViewProcessor.PROFILE_STORE,
                        PlatformViewProcessor.ALERTS_STORE, PlatformViewProcessor.ALERTS_INDEX_STORE);
    }
}
