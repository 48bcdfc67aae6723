package fundwatch.topology.borrowingcap;

import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * D7 wiring. The cap across platforms needs all of one borrower's loans in one place, so custody loans (as
 * consumed, before their platform repartition) and clearing party types (keyed by payer account) are each re-keyed
 * by borrower party and repartitioned to the internal partition count before they are merged — the two inputs are never assumed co-partitioned. Party
 * types cross only when they change ({@link PartyTypeChanges}), not with every payment.
 */
public final class BorrowingCapTopology {
    static final String STORE = "borrowing-cap-store";
    static final String TYPES_STORE = "borrowing-cap-party-types-store";

    private BorrowingCapTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        // Straight from the custody input, not from its platform repartition: a loan crosses one repartition only.
        KStream<String, BorrowingMove> loans = in.custody()
                .flatMap((k, tx) -> loanMove(tx), Named.as("borrowing-cap-loans"))
                .repartition(repartitioned("borrowing-cap-loans-by-party", in));
        KStream<String, BorrowingMove> types = in.clearing()
                .process(PartyTypeChanges::new, Named.as("borrowing-cap-party-types"))
                .repartition(repartitioned("borrowing-cap-types-by-party", in));
        builder.addStateStore(StoreBuilders.keyValue(STORE, JsonSerde.of(BorrowerState.class)));
        builder.addStateStore(StoreBuilders.keyValue(TYPES_STORE, Serdes.String()));
        KStream<String, Finding> findings = loans.merge(types, Named.as("borrowing-cap-merge"))
                .process(() -> new BorrowingCapDetector(STORE, TYPES_STORE,
                        in.topics().names().custodyTransactions()), Named.as("borrowing-cap-detector"), STORE,
                        TYPES_STORE);
        Alerts.emit(builder, findings, "borrowing-cap", in.topics(), in.metrics());
    }

    private static Repartitioned<String, BorrowingMove> repartitioned(String name, DetectorInputs in) {
        return Repartitioned.<String, BorrowingMove>as(name).withKeySerde(Serdes.String())
                .withValueSerde(JsonSerde.of(BorrowingMove.class))
                .withNumberOfPartitions(in.settings().internalPartitions());
    }

    static List<KeyValue<String, BorrowingMove>> loanMove(CustodyTransaction tx) {
        long t = tx.getEventTime().toEpochMilli();
        if (tx.getType() == TxType.INVEST && tx.getCreditRole() == AccountRole.BORROWER
                && tx.getCreditPartyId() != null) {
            return List.of(KeyValue.pair(tx.getCreditPartyId(), new BorrowingMove(BorrowingMove.LEND,
                    tx.getCreditPartyId(), tx.getPlatformId(), tx.getAmountMinor(), tx.getEventId(), t, null)));
        }
        if (tx.getType() == TxType.LOAN_DISBURSEMENT && tx.getDebitRole() == AccountRole.BORROWER
                && tx.getDebitPartyId() != null) {
            // The raise is over: the clearing payment that pays it out normally names the borrower's type.
            return List.of(KeyValue.pair(tx.getDebitPartyId(), new BorrowingMove(BorrowingMove.DISBURSED,
                    tx.getDebitPartyId(), tx.getPlatformId(), tx.getAmountMinor(), tx.getEventId(), t, null)));
        }
        if (tx.getType() == TxType.REPAY_PRINCIPAL && tx.getDebitRole() == AccountRole.BORROWER
                && tx.getDebitPartyId() != null) {
            return List.of(KeyValue.pair(tx.getDebitPartyId(), new BorrowingMove(BorrowingMove.REPAY,
                    tx.getDebitPartyId(), tx.getPlatformId(), tx.getAmountMinor(), tx.getEventId(), t, null)));
        }
        return List.of();
    }

    static List<KeyValue<String, BorrowingMove>> typeMoves(ClearingPayment p) {
        List<KeyValue<String, BorrowingMove>> out = new ArrayList<>(2);
        long t = p.getEventTime().toEpochMilli();
        if (p.getPayerPartyId() != null && p.getPayerPartyType() != PartyType.UNKNOWN) {
            out.add(KeyValue.pair(p.getPayerPartyId(), new BorrowingMove(BorrowingMove.TYPE, p.getPayerPartyId(), null,
                    0, p.getPaymentId(), t, p.getPayerPartyType().name())));
        }
        if (p.getPayeePartyId() != null && p.getPayeePartyType() != PartyType.UNKNOWN
                && !p.getPayeePartyId().equals(p.getPayerPartyId())) {
            out.add(KeyValue.pair(p.getPayeePartyId(), new BorrowingMove(BorrowingMove.TYPE, p.getPayeePartyId(), null,
                    0, p.getPaymentId(), t, p.getPayeePartyType().name())));
        }
        return out;
    }
}
