package fundwatch.topology.abnormalyield;

import fundwatch.avro.TxType;
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
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * D4a wiring: product registrations and first investments, both keyed by product so one task owns each
 * product's alert. Each side is repartitioned on its own (same partition count) and merged after, so the
 * custody and registry inputs never have to be co-partitioned.
 */
public final class AbnormalYieldTopology {
    private AbnormalYieldTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        int partitions = in.settings().internalPartitions();
        KStream<String, YieldCheck> registrations = in.products()
                .filter((k, p) -> p != null, Named.as("abnormal-yield-registrations"))
                .map((k, p) -> KeyValue.pair(p.getProductId(), new YieldCheck(p.getProductId(),
                        YieldCheck.Trigger.REGISTRATION, p.getIssuedAt().toEpochMilli(), p.getProductId(),
                        p.getTargetAmountMinor(), null, ProductTerms.of(p))),
                        Named.as("abnormal-yield-registration-check"))
                .repartition(Repartitioned.<String, YieldCheck>as("yield-checks-registrations")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(YieldCheck.class))
                        .withNumberOfPartitions(partitions));
        KStream<String, YieldCheck> investments = in.custodyByPlatform()
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("abnormal-yield-investments"))
                .map((k, tx) -> KeyValue.pair(tx.getProductId(), new YieldCheck(tx.getProductId(),
                        YieldCheck.Trigger.INVESTMENT, tx.getEventTime().toEpochMilli(), tx.getEventId(),
                        tx.getAmountMinor(), tx.getDebitPartyId(), null)), Named.as("abnormal-yield-investment-check"))
                .repartition(Repartitioned.<String, YieldCheck>as("yield-checks-investments")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(YieldCheck.class))
                        .withNumberOfPartitions(partitions));
        String funded = "abnormal-yield-funded-store";
        builder.addStateStore(StoreBuilders.keyValue(funded, Serdes.Long()));
        KStream<String, Finding> findings = registrations
                .merge(investments, Named.as("abnormal-yield-merge"))
                .process(() -> new DeclaredYieldDetector(funded), Named.as("abnormal-yield-detector"), funded);
        Alerts.emit(builder, findings, "abnormal-yield", in.topics(), in.metrics());
        RealisedYieldTopology.wire(builder, in);
    }
}
