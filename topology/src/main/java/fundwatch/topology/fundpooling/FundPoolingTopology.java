package fundwatch.topology.fundpooling;

import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * D1 wiring. The clearing side (D1c pass-through hub, ILLEGAL_FUNDRAISING): each clearing payment becomes an
 * outflow leg of its payer, processed where the payment was read, and an inflow leg of its payee, moved by one
 * repartition — so one task sees everything an account gathers and scatters, for every account, registered or not.
 */
public final class FundPoolingTopology {
    private FundPoolingTopology() {
    }

    /** @return the payee legs moved to the payee's task, which D8b also counts as the account's inflow */
    public static KStream<String, HubLeg> wire(StreamsBuilder builder, DetectorInputs in) {
        // The payer's outflow stays where the payment was read: clearing.payments is keyed by payer account (the
        // contract), so that task already owns the payer. Only the payee's inflow moves, and only for a payee that can
        // be a hub (custody and reserve accounts are exempt). The payee repartition is given no partition count of
        // its own: Kafka Streams sizes it like clearing.payments, and reading both in one sub-topology puts an
        // account's outflow (from the input) and inflow (from the repartition) in the same task.
        KStream<String, HubLeg> outflow = in.clearing()
                .mapValues(HubLeg::outflow, Named.as("pooling-hub-payer-leg"));
        KStream<String, HubLeg> inflow = in.clearing()
                .process(PayeeLegs::new, Named.as("pooling-hub-payee-leg"))
                .repartition(Repartitioned.<String, HubLeg>as("pooling-hub-payee-legs")
                        .withKeySerde(Serdes.String()).withValueSerde(BinaryCodec.serde(HubLeg.FORMAT)));
        KStream<String, HubLeg> legs = outflow.merge(inflow, Named.as("pooling-hub-legs"));
        PassThroughHubDetector.Stores stores = new PassThroughHubDetector.Stores("pooling-hub-accounts-store",
                "pooling-hub-counterparties-store", "pooling-hub-evidence-store", "pooling-hub-index-store");
        builder.addStateStore(StoreBuilders.keyValue(stores.accounts(), BinaryCodec.serde(HubSummary.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(stores.counterparties(),
                BinaryCodec.serde(HubCounterparty.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(stores.evidence(), BinaryCodec.serde(EvidenceList.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(stores.index(), Serdes.String()));
        KStream<String, Finding> findings = legs.process(() -> new PassThroughHubDetector(stores,
                        in.topics().names().clearingPayments(), in.settings().zone(), in.metrics()),
                Named.as("pooling-hub-detector"), stores.all());
        Alerts.emit(builder, findings, "pooling-hub", in.topics(), in.metrics());
        wireCustodySide(builder, in);
        return inflow;
    }

    /**
     * D1a on the custody movements already partitioned by platform; D1b on INVEST movements repartitioned by
     * product, compared with the product registry's global store.
     */
    private static void wireCustodySide(StreamsBuilder builder, DetectorInputs in) {
        String custodyTopic = in.topics().names().custodyTransactions();
        String unmatched = "pooling-unmatched-store";
        builder.addStateStore(StoreBuilders.keyValue(unmatched, WindowState.SERDE));
        String progress = "pooling-unmatched-ledger-progress-store";
        builder.addStateStore(StoreBuilders.keyValue(progress, Serdes.Long()));
        KStream<String, Finding> d1a = in.custodyByPlatform()
                .process(() -> new UnmatchedInvestmentDetector(unmatched, progress, in.days(), custodyTopic,
                        in.metrics()), Named.as("pooling-unmatched-detector"), unmatched, progress);
        Alerts.emit(builder, d1a, "pooling-unmatched", in.topics(), in.metrics());

        String invested = "pooling-oversubscription-store";
        builder.addStateStore(StoreBuilders.keyValue(invested, WindowState.SERDE));
        KStream<String, Finding> d1b = in.custodyByPlatform()
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("pooling-product-investments"))
                .selectKey((k, tx) -> tx.getProductId(), Named.as("pooling-key-by-product"))
                .process(() -> new OversubscriptionDetector(invested, custodyTopic),
                        Named.as("pooling-oversubscription-detector"), invested);
        Alerts.emit(builder, d1b, "pooling-oversubscription", in.topics(), in.metrics());
    }
}
