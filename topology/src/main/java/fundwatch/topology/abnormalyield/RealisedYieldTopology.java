package fundwatch.topology.abnormalyield;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * D4b wiring: lenders' INVESTs into a product and the principal and interest credited back to them, in the
 * product's platform partition, where one task holds each product's lender positions. Its own alert lifecycle ("realised-yield"):
 * same detector name as D4a, different windows, so different alertIds.
 */
public final class RealisedYieldTopology {
    private RealisedYieldTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        // Every custody movement goes in: those of products are accounted, all of them move the ledger's progress,
        // which closes the days (not stream time, which the task's other inputs move too).
        KStream<String, YieldMovement> movements = in.custodyByPlatform()
                .map((k, tx) -> YieldMovement.relevant(tx) ? KeyValue.pair(tx.getProductId(), YieldMovement.of(tx))
                        : KeyValue.pair(k, YieldMovement.progress(tx)), Named.as("realised-yield-key-by-product"));
        String pending = "realised-yield-pending-store";
        String positions = "realised-yield-positions-store";
        String products = "realised-yield-products-store";
        builder.addStateStore(StoreBuilders.keyValue(pending, JsonSerde.of(YieldMovement.class)));
        builder.addStateStore(StoreBuilders.keyValue(positions, JsonSerde.of(LenderPosition.class)));
        builder.addStateStore(StoreBuilders.keyValue(products, JsonSerde.of(ProductYield.class)));
        KStream<String, Finding> findings = movements.process(() -> new RealisedYieldDetector(pending, positions,
                        products, in.topics().names().custodyTransactions(), in.settings().zone(), in.metrics()),
                Named.as("realised-yield-detector"), pending, positions, products);
        Alerts.emit(builder, findings, "realised-yield", in.topics(), in.metrics());
    }
}
