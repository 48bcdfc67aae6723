package fundwatch.topology.alert;

import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a detector has accumulated for one subject in one event-time window: sums and counts per named bucket
 * and the largest pieces of evidence. Immutable; each event produces the next state.
 */
public record WindowState(String subjectId, long windowStart, long windowEnd, long lastEventTime,
        Map<String, Long> sums, Map<String, Long> counts, List<EvidenceItem> evidence) {

    public static final int MAX_EVIDENCE = 20;

    public static WindowState empty(String subjectId, long windowStart, long windowEnd) {
        return new WindowState(subjectId, windowStart, windowEnd, 0L, Map.of(), Map.of(), List.of());
    }

    public WindowState add(String bucket, EvidenceItem item) {
        Map<String, Long> s = new TreeMap<>(sums);
        s.merge(bucket, item.amountMinor(), Math::addExact);
        Map<String, Long> c = new TreeMap<>(counts);
        c.merge(bucket, 1L, Long::sum);
        return new WindowState(subjectId, windowStart, windowEnd, Math.max(lastEventTime, item.eventTime()),
                s, c, withEvidence(item));
    }

    /** The evidence with {@code item} in its place; the same list, untouched, when it is too small to be kept. */
    private List<EvidenceItem> withEvidence(EvidenceItem item) {
        if (evidence.size() >= MAX_EVIDENCE
                && EvidenceItem.LARGEST_FIRST.compare(item, evidence.get(evidence.size() - 1)) >= 0) {
            return evidence;
        }
        List<EvidenceItem> ev = new ArrayList<>(evidence.size() + 1);
        ev.addAll(evidence);
        if (ev.stream().noneMatch(e -> e.eventId().equals(item.eventId()) && e.topic().equals(item.topic()))) {
            ev.add(item);
        }
        ev.sort(EvidenceItem.LARGEST_FIRST);
        if (ev.size() > MAX_EVIDENCE) {
            ev = new ArrayList<>(ev.subList(0, MAX_EVIDENCE));
        }
        return List.copyOf(ev);
    }

    /**
     * Version 1 of the binary format; {@link #SERDE} also reads the Smile/JSON that earlier builds stored, so an
     * upgrade keeps the open windows.
     */
    public static final BinaryCodec.Format<WindowState> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(WindowState w, BinaryCodec.Writer out) {
            out.string(w.subjectId).varLong(w.windowStart).varLong(w.windowEnd).varLong(w.lastEventTime);
            writeMap(w.sums, out);
            writeMap(w.counts, out);
            out.varInt(w.evidence.size());
            for (EvidenceItem e : w.evidence) {
                e.writeTo(out);
            }
        }

        @Override
        public WindowState read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new org.apache.kafka.common.errors.SerializationException("window state v" + version);
            }
            String subject = in.string();
            long start = in.varLong();
            long end = in.varLong();
            long last = in.varLong();
            Map<String, Long> sums = readMap(in);
            Map<String, Long> counts = readMap(in);
            int n = in.varInt();
            List<EvidenceItem> ev = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ev.add(EvidenceItem.readFrom(in));
            }
            return new WindowState(subject, start, end, last, sums, counts, List.copyOf(ev));
        }

        private void writeMap(Map<String, Long> m, BinaryCodec.Writer out) {
            out.varInt(m.size());
            m.forEach((k, v) -> out.string(k).varLong(v));
        }

        private Map<String, Long> readMap(BinaryCodec.Reader in) {
            int n = in.varInt();
            Map<String, Long> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                m.put(in.string(), in.varLong());
            }
            return m;
        }
    };

    public static final Serde<WindowState> SERDE = BinaryCodec.serdeReadingJson(FORMAT, WindowState.class);

    public long sum(String bucket) {
        return sums.getOrDefault(bucket, 0L);
    }

    public long count(String bucket) {
        return counts.getOrDefault(bucket, 0L);
    }

    public long totalSum() {
        return sums.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalCount() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
