package fundwatch.topology.borrowingcap;

import fundwatch.avro.ClearingPayment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The party types named by clearing payments, forwarded to the borrowing-cap detector only when they tell it
 * something new: a party's type is sent once, and again only if it changes, instead of for both parties of every
 * payment (that was 1.14 repartition records per input event in the benchmark, a third of all repartition
 * traffic).
 *
 * <p>What was sent is remembered per task in a bounded in-memory LRU, not in a store: the detector keeps every
 * type it receives ({@code borrowing-cap-party-types-store}) and treats a repeated type as a no-op, so forgetting
 * (a restart, a rebalance, an eviction) only costs a resend, never a lost type.
 */
final class PartyTypeChanges implements Processor<String, ClearingPayment, String, BorrowingMove> {
    static final int REMEMBERED_PARTIES = 100_000;

    private ProcessorContext<String, BorrowingMove> context;
    private Map<String, String> sent;

    @Override
    public void init(ProcessorContext<String, BorrowingMove> context) {
        this.context = context;
        this.sent = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > REMEMBERED_PARTIES;
            }
        };
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        for (KeyValue<String, BorrowingMove> move : BorrowingCapTopology.typeMoves(record.value())) {
            String type = move.value.partyType();
            if (!type.equals(sent.put(move.key, type))) {
                context.forward(record.withKey(move.key).withValue(move.value));
            }
        }
    }
}
