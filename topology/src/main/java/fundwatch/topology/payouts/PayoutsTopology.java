package fundwatch.topology.payouts;

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
 * D5 wiring: YIELD_SUBSIDY and NEW_MONEY_PAYS_OLD both judge what a platform paid its lenders against where that
 * money came from, over the same daily buckets, so one processor on the custody movements (already partitioned
 * by platform) keeps one store for both and feeds one alert lifecycle.
 */
public final class PayoutsTopology {
    private PayoutsTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        String ledger = "payouts-ledger-store";
        builder.addStateStore(StoreBuilders.keyValue(ledger, JsonSerde.of(PlatformPayouts.class)));
        String progress = "payouts-ledger-progress-store";
        builder.addStateStore(StoreBuilders.keyValue(progress, Serdes.Long()));
        KStream<String, Finding> findings = in.custodyByPlatform()
                .process(() -> new PayoutsDetector(ledger, progress, in.topics().names().custodyTransactions(),
                        in.settings().zone(), in.metrics()), Named.as("payouts-detector"), ledger, progress);
        Alerts.emit(builder, findings, "payouts", in.topics(), in.metrics());
    }
}
