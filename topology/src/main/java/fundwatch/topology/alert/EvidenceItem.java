package fundwatch.topology.alert;

import fundwatch.avro.Evidence;
import fundwatch.topology.support.BinaryCodec;
import java.time.Instant;
import java.util.Comparator;

/** One contributing event, as kept in state; converted to the contract's Evidence when an alert is emitted. */
public record EvidenceItem(String topic, String eventId, long amountMinor, long eventTime, String counterpartyId) {

    /** Largest first (CONTRACT.md); ties broken by time and id so the order never depends on arrival. */
    public static final Comparator<EvidenceItem> LARGEST_FIRST = Comparator
            .comparingLong(EvidenceItem::amountMinor).reversed()
            .thenComparingLong(EvidenceItem::eventTime)
            .thenComparing(EvidenceItem::eventId);

    public Evidence toAvro() {
        return Evidence.newBuilder()
                .setTopic(topic)
                .setEventId(eventId)
                .setAmountMinor(amountMinor)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setCounterpartyId(counterpartyId)
                .build();
    }

    /** This item in the binary state formats (fields in a fixed order; the enclosing format carries the version). */
    public void writeTo(BinaryCodec.Writer out) {
        out.string(topic).string(eventId).varLong(amountMinor).varLong(eventTime).string(counterpartyId);
    }

    public static EvidenceItem readFrom(BinaryCodec.Reader in) {
        return new EvidenceItem(in.string(), in.string(), in.varLong(), in.varLong(), in.string());
    }
}
