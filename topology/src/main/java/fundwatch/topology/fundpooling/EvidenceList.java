package fundwatch.topology.fundpooling;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The largest legs of one account on one day (at most {@link #KEPT}), kept apart from the counters: a leg smaller
 * than all of them — most legs of a busy account — never reads or writes this list.
 */
record EvidenceList(List<EvidenceItem> items) {
    static final int KEPT = 20;

    EvidenceList with(EvidenceItem item) {
        List<EvidenceItem> next = new ArrayList<>(items.size() + 1);
        next.addAll(items);
        next.add(item);
        next.sort(EvidenceItem.LARGEST_FIRST);
        return new EvidenceList(next.size() > KEPT ? List.copyOf(next.subList(0, KEPT)) : next);
    }

    long smallest() {
        return items.isEmpty() ? 0 : items.get(items.size() - 1).amountMinor();
    }

    static final BinaryCodec.Format<EvidenceList> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(EvidenceList list, BinaryCodec.Writer out) {
            out.varInt(list.items.size());
            for (EvidenceItem e : list.items) {
                e.writeTo(out);
            }
        }

        @Override
        public EvidenceList read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("evidence list v" + version);
            }
            int n = in.varInt();
            List<EvidenceItem> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(EvidenceItem.readFrom(in));
            }
            return new EvidenceList(items);
        }
    };
}
