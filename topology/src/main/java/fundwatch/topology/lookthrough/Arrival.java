package fundwatch.topology.lookthrough;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A final payment that brought traced money to where a detector looks: the evidence of D8a and D8b, with the hop
 * count of its path (a payment carrying several traced parts is one arrival, their amounts summed).
 *
 * @param counterpartyId D8a: the account the money reached; D8b: the borrower party it came from
 */
record Arrival(String paymentId, String counterpartyId, long amountMinor, long eventTime, int hop) {
    /** Kept per subject: more than the 20 an alert shows, so that arrivals leaving the window leave enough behind. */
    static final int KEPT = 40;

    static final Comparator<Arrival> LARGEST_FIRST = Comparator.comparingLong(Arrival::amountMinor).reversed()
            .thenComparingLong(Arrival::eventTime).thenComparing(Arrival::paymentId);

    EvidenceItem toEvidence(String topic) {
        return new EvidenceItem(topic, paymentId, amountMinor, eventTime, counterpartyId);
    }

    /** {@code list} with {@code a} added (merged into the same payment's arrival), largest first, at most KEPT. */
    static List<Arrival> with(List<Arrival> list, Arrival a) {
        List<Arrival> out = new ArrayList<>(list.size() + 1);
        Arrival merged = a;
        for (Arrival x : list) {
            if (x.paymentId.equals(a.paymentId)) {
                merged = new Arrival(x.paymentId, x.counterpartyId, x.amountMinor + a.amountMinor, x.eventTime,
                        Math.max(x.hop, a.hop));
            } else {
                out.add(x);
            }
        }
        out.add(merged);
        out.sort(LARGEST_FIRST);
        return out.size() > KEPT ? new ArrayList<>(out.subList(0, KEPT)) : out;
    }

    void writeTo(BinaryCodec.Writer out) {
        out.string(paymentId).string(counterpartyId).varLong(amountMinor).varLong(eventTime).varInt(hop);
    }

    static Arrival readFrom(BinaryCodec.Reader in) {
        return new Arrival(in.string(), in.string(), in.varLong(), in.varLong(), in.varInt());
    }

    static void writeList(List<Arrival> list, BinaryCodec.Writer out) {
        out.varInt(list.size());
        list.forEach(a -> a.writeTo(out));
    }

    static List<Arrival> readList(BinaryCodec.Reader in) {
        int n = in.varInt();
        List<Arrival> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readFrom(in));
        }
        return list;
    }
}
