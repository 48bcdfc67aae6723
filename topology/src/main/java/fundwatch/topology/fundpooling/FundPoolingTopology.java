package fundwatch.topology.fundpooling;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.support.InternalAvroSerde;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * D1 wiring. The clearing side (D1c pass-through hub, ILLEGAL_FUNDRAISING): each clearing payment becomes an
 * inflow leg keyed by its payee and an outflow leg keyed by its payer, repartitioned by account so one task sees
 * everything an account gathers and scatters — for every account, registered or not.
 */
public final class FundPoolingTopology {
    private FundPoolingTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        KStream<String, HubLeg> legs = in.clearing()
                .flatMap((k, p) -> HubLeg.of(p).stream().map(l -> KeyValue.pair(l.accountId(), l)).toList(),
                        Named.as("pooling-hub-split-legs"))
                .repartition(Repartitioned.<String, HubLeg>as("pooling-hub-account-legs")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(HubLeg.class))
                        .withNumberOfPartitions(in.settings().internalPartitions()));
        String flows = "pooling-hub-flows-store";
        String due = "pooling-hub-due-store";
        builder.addStateStore(StoreBuilders.keyValue(flows, JsonSerde.of(AccountFlows.class)));
        builder.addStateStore(StoreBuilders.keyValue(due, Serdes.String()));
        KStream<String, Finding> findings = legs.process(() -> new PassThroughHubDetector(flows, due,
                        in.topics().names().clearingPayments(), in.settings().zone(), in.metrics()),
                Named.as("pooling-hub-detector"), flows, due);
        Alerts.emit(builder, findings, "pooling-hub", in.topics(), in.metrics());
        wireCustodySide(builder, in);
    }

    /**
     * D1a on the custody movements already partitioned by platform; D1b on INVEST movements repartitioned by
     * product, compared with the product registry's global store.
     */
    private static void wireCustodySide(StreamsBuilder builder, DetectorInputs in) {
        String custodyTopic = in.topics().names().custodyTransactions();
        String unmatched = "pooling-unmatched-store";
        builder.addStateStore(StoreBuilders.keyValue(unmatched, JsonSerde.of(WindowState.class)));
        KStream<String, Finding> d1a = in.custodyByPlatform()
                .process(() -> new UnmatchedInvestmentDetector(unmatched, in.days(), custodyTopic, in.metrics()),
                        Named.as("pooling-unmatched-detector"), unmatched);
        Alerts.emit(builder, d1a, "pooling-unmatched", in.topics(), in.metrics());

        String invested = "pooling-oversubscription-store";
        builder.addStateStore(StoreBuilders.keyValue(invested, JsonSerde.of(WindowState.class)));
        KStream<String, Finding> d1b = in.custodyByPlatform()
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("pooling-product-investments"))
                .selectKey((k, tx) -> tx.getProductId(), Named.as("pooling-key-by-product"))
                .repartition(Repartitioned.<String, CustodyTransaction>as("pooling-invest-by-product")
                        .withKeySerde(Serdes.String()).withValueSerde(InternalAvroSerde.of(CustodyTransaction.class))
                        .withNumberOfPartitions(in.settings().internalPartitions()))
                .process(() -> new OversubscriptionDetector(invested, custodyTopic),
                        Named.as("pooling-oversubscription-detector"), invested);
        Alerts.emit(builder, d1b, "pooling-oversubscription", in.topics(), in.metrics());
    }
}
