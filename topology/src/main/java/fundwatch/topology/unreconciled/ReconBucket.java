package fundwatch.topology.unreconciled;

import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The items of one platform, kind and exact amount that wait for their twin — usually none or one, a handful for a
 * round sum on a busy day. A twin is found by a point lookup per candidate amount, not a range scan; the bucket is
 * rewritten when an item joins or leaves it.
 */
record ReconBucket(List<ReconItem> items) {

    ReconItem find(String eventId) {
        for (ReconItem i : items) {
            if (i.eventId().equals(eventId)) {
                return i;
            }
        }
        return null;
    }

    ReconBucket with(ReconItem item) {
        List<ReconItem> next = new ArrayList<>(items.size() + 1);
        next.addAll(items);
        next.add(item);
        return new ReconBucket(next);
    }

    ReconBucket without(String eventId) {
        List<ReconItem> next = new ArrayList<>(items.size());
        for (ReconItem i : items) {
            if (!i.eventId().equals(eventId)) {
                next.add(i);
            }
        }
        return new ReconBucket(next);
    }

    static final BinaryCodec.Format<ReconBucket> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(ReconBucket b, BinaryCodec.Writer out) {
            out.varInt(b.items.size());
            for (ReconItem i : b.items) {
                out.string(i.platformId()).varInt(i.kind().ordinal()).varLong(i.amountMinor()).varLong(i.eventTime())
                        .string(i.eventId()).string(i.topic()).string(i.counterpartyId());
            }
        }

        @Override
        public ReconBucket read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("reconciliation bucket v" + version);
            }
            int n = in.varInt();
            List<ReconItem> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                items.add(new ReconItem(in.string(), ReconItem.Kind.values()[in.varInt()], in.varLong(), in.varLong(),
                        in.string(), in.string(), in.string()));
            }
            return new ReconBucket(items);
        }
    };
}
