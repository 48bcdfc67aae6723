package fundwatch.topology.abnormalyield;

import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * D4a wiring: product registrations and first investments, both in their platform's partition (a product
 * belongs to one platform), keyed by product in the detector's store: no repartition of their own.
 */
public final class AbnormalYieldTopology {
    private AbnormalYieldTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        KStream<String, YieldCheck> registrations = in.productsByPlatform()
                .map((k, p) -> KeyValue.pair(p.getProductId(), new YieldCheck(p.getProductId(),
                        YieldCheck.Trigger.REGISTRATION, p.getIssuedAt().toEpochMilli(), p.getProductId(),
                        p.getTargetAmountMinor(), null, ProductTerms.of(p))),
                        Named.as("abnormal-yield-registration-check"));
        KStream<String, YieldCheck> investments = in.custodyByPlatform()
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("abnormal-yield-investments"))
                .map((k, tx) -> KeyValue.pair(tx.getProductId(), new YieldCheck(tx.getProductId(),
                        YieldCheck.Trigger.INVESTMENT, tx.getEventTime().toEpochMilli(), tx.getEventId(),
                        tx.getAmountMinor(), tx.getDebitPartyId(), null)), Named.as("abnormal-yield-investment-check"));
        String funded = "abnormal-yield-funded-store";
        builder.addStateStore(StoreBuilders.keyValue(funded, Serdes.Long()));
        KStream<String, Finding> findings = registrations
                .merge(investments, Named.as("abnormal-yield-merge"))
                .process(() -> new DeclaredYieldDetector(funded), Named.as("abnormal-yield-detector"), funded);
        Alerts.emit(builder, findings, "abnormal-yield", in.topics(), in.metrics());
        RealisedYieldTopology.wire(builder, in);
    }
}
