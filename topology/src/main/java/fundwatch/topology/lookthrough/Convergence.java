package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * D8b state of one (account, origin platform), fixed in size: traced loan money per day of the window, the borrower
 * parties it came from (at most {@link #MAX_BORROWERS}: far past any threshold, and what keeps a shop where thousands
 * of borrowers spend bounded), the largest arrivals and the open episode.
 */
final class Convergence {
    static final int MAX_BORROWERS = 64;

    final TreeMap<Long, Long> days = new TreeMap<>();
    /** Borrower party → the latest event time its money arrived. */
    final Map<String, Long> borrowers = new HashMap<>();
    List<Arrival> evidence = new ArrayList<>();
    long lastEventTime;
    long expiryDay;
    long[] episode;

    void borrower(String party, long time) {
        borrowers.merge(party, time, Math::max);
        if (borrowers.size() > MAX_BORROWERS) {
            String oldest = null;
            long t = Long.MAX_VALUE;
            for (var e : borrowers.entrySet()) {
                if (e.getValue() < t || (e.getValue() == t && e.getKey().compareTo(oldest) < 0)) {
                    t = e.getValue();
                    oldest = e.getKey();
                }
            }
            borrowers.remove(oldest);
        }
    }

    long distinctSince(long fromTime) {
        return borrowers.values().stream().filter(t -> t >= fromTime).count();
    }

    long sum(long fromDay, long toDay) {
        long s = 0;
        for (long v : days.subMap(fromDay, true, toDay, true).values()) {
            s += v;
        }
        return s;
    }

    void prune(long horizonDay, long horizonTime) {
        days.headMap(horizonDay).clear();
        borrowers.values().removeIf(t -> t < horizonTime);
        evidence.removeIf(a -> a.eventTime() < horizonTime);
    }

    static final BinaryCodec.Format<Convergence> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(Convergence c, BinaryCodec.Writer out) {
            out.varLong(c.lastEventTime).varLong(c.expiryDay).varInt(c.days.size());
            c.days.forEach((d, v) -> out.varLong(d).varLong(v));
            // Sorted, so that equal states are equal bytes whatever the map's order.
            TreeMap<String, Long> sorted = new TreeMap<>(c.borrowers);
            out.varInt(sorted.size());
            sorted.forEach((b, t) -> out.string(b).varLong(t));
            Arrival.writeList(c.evidence, out);
            out.bool(c.episode != null);
            if (c.episode != null) {
                out.varLong(c.episode[0]).varLong(c.episode[1]).varLong(c.episode[2]);
            }
        }

        @Override
        public Convergence read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("convergence v" + version);
            }
            Convergence c = new Convergence();
            c.lastEventTime = in.varLong();
            c.expiryDay = in.varLong();
            int n = in.varInt();
            for (int i = 0; i < n; i++) {
                c.days.put(in.varLong(), in.varLong());
            }
            int b = in.varInt();
            for (int i = 0; i < b; i++) {
                c.borrowers.put(in.string(), in.varLong());
            }
            c.evidence = Arrival.readList(in);
            if (in.bool()) {
                c.episode = new long[] {in.varLong(), in.varLong(), in.varLong()};
            }
            return c;
        }
    };
}
