package fundwatch.topology.growth;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * D6 wiring: one processor on the custody movements (already partitioned by platform) keeps each platform's daily
 * series; the days store is also what {@code GET /platforms/{id}/series} reads (interactive query, routed by
 * platform id like the risk profile).
 */
public final class GrowthTopology {
    public static final String DAYS_STORE = "growth-days-store";
    public static final String PLATFORMS_STORE = "growth-platforms-store";
    public static final String LENDERS_STORE = "growth-lenders-store";
    public static final String PROGRESS_STORE = "growth-ledger-progress-store";

    private GrowthTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        builder.addStateStore(StoreBuilders.keyValue(DAYS_STORE, JsonSerde.of(GrowthDay.class)));
        builder.addStateStore(StoreBuilders.keyValue(PLATFORMS_STORE, JsonSerde.of(PlatformGrowth.class)));
        builder.addStateStore(StoreBuilders.keyValue(LENDERS_STORE, JsonSerde.of(LenderMark.class)));
        builder.addStateStore(StoreBuilders.keyValue(PROGRESS_STORE, Serdes.Long()));
        KStream<String, Finding> findings = in.custodyByPlatform()
                .process(() -> new GrowthDetector(DAYS_STORE, PLATFORMS_STORE, LENDERS_STORE, PROGRESS_STORE,
                        in.topics().names().custodyTransactions(), in.settings().zone(), in.metrics()),
                        Named.as("growth-detector"), DAYS_STORE, PLATFORMS_STORE, LENDERS_STORE, PROGRESS_STORE);
        Alerts.emit(builder, findings, "growth", in.topics(), in.metrics());
    }
}
