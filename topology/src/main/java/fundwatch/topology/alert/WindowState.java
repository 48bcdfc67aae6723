package fundwatch.topology.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        List<EvidenceItem> ev = new ArrayList<>(evidence.size() + 1);
        ev.addAll(evidence);
        if (ev.stream().noneMatch(e -> e.eventId().equals(item.eventId()) && e.topic().equals(item.topic()))) {
            ev.add(item);
        }
        ev.sort(EvidenceItem.LARGEST_FIRST);
        if (ev.size() > MAX_EVIDENCE) {
            ev = new ArrayList<>(ev.subList(0, MAX_EVIDENCE));
        }
        return new WindowState(subjectId, windowStart, windowEnd, Math.max(lastEventTime, item.eventTime()),
                s, c, List.copyOf(ev));
    }

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
