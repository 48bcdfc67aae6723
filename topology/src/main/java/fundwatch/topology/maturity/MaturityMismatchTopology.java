package fundwatch.topology.maturity;

import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * D2 wiring. Per product: registrations and investments, both already in their platform's partition (a product
 * belongs to one platform), keyed by product in the detector's store. Term splitting: registrations keyed by
 * platform|borrower in the same partition. No repartition of their own.
 */
public final class MaturityMismatchTopology {
    private MaturityMismatchTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        KStream<String, MaturityEvent> registrations = in.productsByPlatform()
                .mapValues(p -> new MaturityEvent(p.getProductId(), MaturityEvent.Kind.REGISTRATION,
                        p.getIssuedAt().toEpochMilli(), p.getProductId(), 0, null, MaturityEvent.Terms.of(p)),
                        Named.as("maturity-registration-event"));
        KStream<String, MaturityEvent> byProduct = registrations
                .selectKey((k, e) -> e.productId(), Named.as("maturity-key-registration-by-product"));
        KStream<String, MaturityEvent> investments = in.custodyByPlatform()
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("maturity-investments"))
                .map((k, tx) -> KeyValue.pair(tx.getProductId(), new MaturityEvent(tx.getProductId(),
                        MaturityEvent.Kind.INVESTMENT, tx.getEventTime().toEpochMilli(), tx.getEventId(),
                        tx.getAmountMinor(), tx.getDebitPartyId(), null)), Named.as("maturity-investment-event"));
        String topic = in.topics().names().custodyTransactions();
        String terms = "maturity-terms-store";
        String invested = "maturity-invested-store";
        builder.addStateStore(StoreBuilders.keyValue(terms, JsonSerde.of(MaturityEvent.Terms.class)));
        builder.addStateStore(StoreBuilders.keyValue(invested, WindowState.SERDE));
        KStream<String, Finding> mismatch = byProduct
                .merge(investments, Named.as("maturity-merge"))
                .process(() -> new MaturityMismatchDetector(terms, invested, topic),
                        Named.as("maturity-mismatch-detector"), terms, invested);
        Alerts.emit(builder, mismatch, "maturity-mismatch", in.topics(), in.metrics());

        String splits = "maturity-split-store";
        builder.addStateStore(StoreBuilders.keyValue(splits, JsonSerde.of(TermSplittingDetector.Split.class)));
        KStream<String, Finding> splitting = registrations
                .filter((k, e) -> e.terms().borrowerPartyId() != null, Named.as("maturity-with-borrower"))
                .selectKey((k, e) -> e.terms().platformId() + "|" + e.terms().borrowerPartyId(),
                        Named.as("maturity-key-by-borrower"))
                .process(() -> new TermSplittingDetector(splits, in.topics().names().products()),
                        Named.as("maturity-term-splitting-detector"), splits);
        Alerts.emit(builder, splitting, "maturity-splitting", in.topics(), in.metrics());
    }
}
