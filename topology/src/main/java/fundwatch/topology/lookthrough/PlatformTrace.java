package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * D8a state of one platform, fixed in size: per day of the window (and a day more) the loans it disbursed and the
 * traced loan money that came back to it, the largest arrivals, and the open episode's window.
 */
final class PlatformTrace {
    static final int DISBURSED = 0;
    static final int SELF = 1;

    final TreeMap<Long, long[]> days = new TreeMap<>();
    List<Arrival> evidence = new ArrayList<>();
    long lastEventTime;
    /** {windowStart, windowEnd, severity ordinal} of the open episode, or null. */
    long[] episode;

    long[] day(long day) {
        return days.computeIfAbsent(day, d -> new long[2]);
    }

    long sum(int column, long fromDay, long toDay) {
        long s = 0;
        for (long[] row : days.subMap(fromDay, true, toDay, true).values()) {
            s += row[column];
        }
        return s;
    }

    void prune(long horizonDay) {
        days.headMap(horizonDay).clear();
    }

    static final BinaryCodec.Format<PlatformTrace> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(PlatformTrace t, BinaryCodec.Writer out) {
            out.varLong(t.lastEventTime).varInt(t.days.size());
            t.days.forEach((d, row) -> out.varLong(d).varLong(row[DISBURSED]).varLong(row[SELF]));
            Arrival.writeList(t.evidence, out);
            out.bool(t.episode != null);
            if (t.episode != null) {
                out.varLong(t.episode[0]).varLong(t.episode[1]).varLong(t.episode[2]);
            }
        }

        @Override
        public PlatformTrace read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("platform trace v" + version);
            }
            PlatformTrace t = new PlatformTrace();
            t.lastEventTime = in.varLong();
            int n = in.varInt();
            for (int i = 0; i < n; i++) {
                t.days.put(in.varLong(), new long[] {in.varLong(), in.varLong()});
            }
            t.evidence = Arrival.readList(in);
            if (in.bool()) {
                t.episode = new long[] {in.varLong(), in.varLong(), in.varLong()};
            }
            return t;
        }
    };
}
