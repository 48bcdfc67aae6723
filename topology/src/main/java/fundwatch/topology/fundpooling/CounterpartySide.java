package fundwatch.topology.fundpooling;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The distinct counterparties of one account on one side (its payers, or its payees), bounded in memory.
 *
 * <p>Exact while the account has at most {@code cap} counterparties in retention: a map from the counterparty's
 * 64-bit hash to when it was last (and previously) seen, which also answers the timing questions (is this payer
 * recurring? has it stayed away long enough to be a one-off?) and the payback intersection. Past the cap the
 * side switches to one {@link HyperLogLog} per day (4 KiB each, ≈1.6 % standard error), unioned over the window;
 * a side that busy is far above any count threshold, so the timing refinements are dropped there (every
 * counterparty counts). When the last sketched day leaves retention the side is exact again.
 *
 * <p>Mutable on purpose: it is read, changed and written back once per event by the detector that owns it.
 */
public final class CounterpartySide {
    /** When one counterparty was seen: its latest event time, the one before it (0 = none), its party type. */
    public static final class Seen {
        public long last;
        public long prev;
        public boolean individual;

        public Seen() {
        }

        Seen(long last, boolean individual) {
            this.last = last;
            this.individual = individual;
        }
    }

    /** hash → when seen; null while the side is sketched. Stored as {@link #packed()}. */
    @JsonIgnore
    public Map<Long, Seen> exact = new HashMap<>();
    /** epoch day → sketch of every counterparty seen that day; only while {@link #exact} is null. */
    public TreeMap<Long, byte[]> sketch;
    /** epoch day → sketch of the INDIVIDUAL counterparties seen that day. */
    public TreeMap<Long, byte[]> individualSketch;

    void record(long hash, boolean individual, long time, long day, int cap, LongUnaryOperator dayOf) {
        if (exact != null) {
            Seen s = exact.get(hash);
            if (s == null) {
                exact.put(hash, new Seen(time, individual));
            } else if (time >= s.last) {
                s.prev = s.last;
                s.last = time;
            } else if (time > s.prev) {
                s.prev = time;
            }
            if (exact.size() > cap) {
                toSketch(dayOf);
            }
            return;
        }
        HyperLogLog.add(sketch.computeIfAbsent(day, d -> HyperLogLog.empty()), hash);
        if (individual) {
            HyperLogLog.add(individualSketch.computeIfAbsent(day, d -> HyperLogLog.empty()), hash);
        }
    }

    private void toSketch(LongUnaryOperator dayOf) {
        sketch = new TreeMap<>();
        individualSketch = new TreeMap<>();
        exact.forEach((hash, s) -> {
            HyperLogLog.add(sketch.computeIfAbsent(dayOf.applyAsLong(s.last), d -> HyperLogLog.empty()), hash);
            if (s.individual) {
                HyperLogLog.add(individualSketch.computeIfAbsent(dayOf.applyAsLong(s.last),
                        d -> HyperLogLog.empty()), hash);
            }
        });
        exact = null;
    }

    /** Forgets counterparties last seen before {@code horizonTime} (sketch days before {@code horizonDay}). */
    void prune(long horizonTime, long horizonDay) {
        if (exact != null) {
            exact.values().removeIf(s -> s.last < horizonTime);
            exact.values().forEach(s -> {
                if (s.prev < horizonTime) {
                    s.prev = 0;
                }
            });
            return;
        }
        sketch.headMap(horizonDay).clear();
        individualSketch.headMap(horizonDay).clear();
        if (sketch.isEmpty()) {
            exact = new HashMap<>();
            sketch = null;
            individualSketch = null;
        }
    }

    /**
     * {@link #exact} as stored: four parallel rows (hashes, last seen, seen before, individual 0/1). A busy account
     * holds up to {@code exactCounterpartyCap} entries and is read and rewritten on every leg; as a JSON object keyed
     * by hash strings it was the largest single cost of the replay benchmark (README, Performance), as number
     * arrays it decodes several times faster.
     */
    @JsonProperty("exactPacked")
    long[][] packed() {
        if (exact == null) {
            return null;
        }
        int n = exact.size();
        long[][] rows = new long[4][n];
        int i = 0;
        for (Map.Entry<Long, Seen> e : exact.entrySet()) {
            rows[0][i] = e.getKey();
            rows[1][i] = e.getValue().last;
            rows[2][i] = e.getValue().prev;
            rows[3][i] = e.getValue().individual ? 1 : 0;
            i++;
        }
        return rows;
    }

    @JsonProperty("exactPacked")
    void unpack(long[][] rows) {
        if (rows == null) {
            exact = null;
            return;
        }
        exact = new HashMap<>(Math.max(16, rows[0].length * 4 / 3 + 1));
        for (int i = 0; i < rows[0].length; i++) {
            Seen seen = new Seen(rows[1][i], rows[3][i] != 0);
            seen.prev = rows[2][i];
            exact.put(rows[0][i], seen);
        }
    }

    /** State written before {@code exactPacked}: the map itself. */
    @JsonProperty("exact")
    void legacyExact(Map<Long, Seen> map) {
        exact = map;
    }

    boolean isExact() {
        return exact != null;
    }

    /**
     * Distinct counterparties seen in days [fromDay, toDay]. In exact mode, with {@code confirmMillis > 0} only
     * those whose latest payment is at least that old at {@code now} (they did not come back: a one-off), and
     * with {@code recurringMillis > 0} not those that had also paid within that span before (standing orders,
     * payroll, regular customers).
     */
    double distinct(long fromDay, long toDay, long now, long confirmMillis, long recurringMillis,
            LongUnaryOperator dayOf) {
        if (exact == null) {
            return HyperLogLog.estimate(union(sketch, fromDay, toDay));
        }
        long n = 0;
        for (Seen s : exact.values()) {
            long d = dayOf.applyAsLong(s.last);
            if (d < fromDay || d > toDay) {
                continue;
            }
            if (confirmMillis > 0 && s.last > now - confirmMillis) {
                continue;
            }
            if (recurringMillis > 0 && s.prev != 0 && s.last - s.prev <= recurringMillis) {
                continue;
            }
            n++;
        }
        return n;
    }

    double distinctIndividuals(long fromDay, long toDay, LongUnaryOperator dayOf) {
        if (exact == null) {
            return HyperLogLog.estimate(union(individualSketch, fromDay, toDay));
        }
        return exact.values().stream().filter(s -> s.individual)
                .mapToLong(s -> dayOf.applyAsLong(s.last))
                .filter(d -> d >= fromDay && d <= toDay).count();
    }

    /** A sketch of this side's counterparties in [fromDay, toDay] (individuals only if asked). */
    byte[] sketchOf(long fromDay, long toDay, boolean individualsOnly, LongUnaryOperator dayOf) {
        if (exact == null) {
            return union(individualsOnly ? individualSketch : sketch, fromDay, toDay);
        }
        byte[] h = HyperLogLog.empty();
        exact.forEach((hash, s) -> {
            long d = dayOf.applyAsLong(s.last);
            if (d >= fromDay && d <= toDay && (!individualsOnly || s.individual)) {
                HyperLogLog.add(h, hash);
            }
        });
        return h;
    }

    /**
     * How many of {@code payers}' individual counterparties in the window were also paid by the account in the
     * window. Exact when both sides are; otherwise |A ∩ B| = |A| + |B| − |A ∪ B| over the sketches.
     */
    static double paidBack(CounterpartySide payers, CounterpartySide payees, long fromDay, long toDay,
            LongUnaryOperator dayOf) {
        if (payers.isExact() && payees.isExact()) {
            long n = 0;
            for (Map.Entry<Long, Seen> e : payers.exact.entrySet()) {
                long d = dayOf.applyAsLong(e.getValue().last);
                if (!e.getValue().individual || d < fromDay || d > toDay) {
                    continue;
                }
                Seen paid = payees.exact.get(e.getKey());
                if (paid != null && dayOf.applyAsLong(paid.last) >= fromDay && dayOf.applyAsLong(paid.last) <= toDay) {
                    n++;
                }
            }
            return n;
        }
        byte[] a = payers.sketchOf(fromDay, toDay, true, dayOf);
        byte[] b = payees.sketchOf(fromDay, toDay, false, dayOf);
        byte[] u = HyperLogLog.copy(a);
        HyperLogLog.merge(u, b);
        return Math.max(0, HyperLogLog.estimate(a) + HyperLogLog.estimate(b) - HyperLogLog.estimate(u));
    }

    private static byte[] union(TreeMap<Long, byte[]> byDay, long fromDay, long toDay) {
        byte[] u = HyperLogLog.empty();
        byDay.subMap(fromDay, true, toDay, true).values().forEach(h -> HyperLogLog.merge(u, h));
        return u;
    }
}
