package fundwatch.topology.fundpooling;

import fundwatch.topology.support.BinaryCodec;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What the hub detector keeps per account: one row of counters per Beijing day still in retention (a sliding window
 * of N days is the sum of N rows), the two open alert episodes, and the bookkeeping of its expiry and confirmation
 * index entries. Its size is bounded by the retention in days, whatever the account's history or its number of
 * counterparties (those are keyed apart, {@link HubCounterparty}).
 *
 * <p>Distinct counterparties are counted where they were last seen: a counterparty whose latest payment falls on
 * day d adds one to day d's row; when it pays again on a later day it moves to that day's row. The distinct
 * counterparties of a window are then the sum of its days' rows, exact, in O(window days).
 */
final class HubSummary {
    static final int IN = 0;
    static final int OUT = 1;
    static final int INDIVIDUAL_IN = 2;
    static final int PAYERS = 3;
    static final int INDIVIDUAL_PAYERS = 4;
    static final int NON_RECURRING_PAYERS = 5;
    static final int PAYEES = 6;
    static final int NON_RECURRING_PAYEES = 7;
    /** Individual payers that the account also paid, counted on the earlier of the two last-seen days. */
    static final int PAID_BACK = 8;
    /** How many evidence items the day's list holds, and the smallest amount among them. */
    static final int EVIDENCE_COUNT = 9;
    static final int EVIDENCE_MIN = 10;
    static final int SLOTS = 11;

    /** epoch day → counters (the slots above). */
    final TreeMap<Long, long[]> days = new TreeMap<>();
    long lastEventTime;
    /** The day its latest counterparty's entry expires: the account goes with it (0 = none yet). */
    long expiryDay;
    /** The latest confirmation day an index entry was written for (0 = none). */
    long confirmDay;
    /** Open episode per detector: {windowStart, windowEnd, highest severity ordinal}; null = none. */
    long[] hubEpisode;
    long[] fundraisingEpisode;

    long[] day(long day) {
        return days.computeIfAbsent(day, d -> new long[SLOTS]);
    }

    /** Adds {@code delta} to one counter of a day, unless the day has left retention (its row is gone). */
    void count(long day, int slot, long delta, long horizonDay) {
        if (day >= horizonDay) {
            day(day)[slot] += delta;
        }
    }

    long sum(int slot, long fromDay, long toDay) {
        long s = 0;
        for (long[] row : days.subMap(fromDay, true, toDay, true).values()) {
            s += row[slot];
        }
        return s;
    }

    void prune(long horizonDay) {
        days.headMap(horizonDay).clear();
    }

    static final BinaryCodec.Format<HubSummary> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(HubSummary s, BinaryCodec.Writer out) {
            out.varLong(s.lastEventTime).varLong(s.expiryDay).varLong(s.confirmDay);
            writeEpisode(s.hubEpisode, out);
            writeEpisode(s.fundraisingEpisode, out);
            out.varInt(s.days.size()).varInt(SLOTS);
            for (Map.Entry<Long, long[]> e : s.days.entrySet()) {
                out.varLong(e.getKey());
                for (long v : e.getValue()) {
                    out.varLong(v);
                }
            }
        }

        @Override
        public HubSummary read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("hub summary v" + version);
            }
            HubSummary s = new HubSummary();
            s.lastEventTime = in.varLong();
            s.expiryDay = in.varLong();
            s.confirmDay = in.varLong();
            s.hubEpisode = readEpisode(in);
            s.fundraisingEpisode = readEpisode(in);
            int n = in.varInt();
            int slots = in.varInt();
            for (int i = 0; i < n; i++) {
                long day = in.varLong();
                long[] row = new long[Math.max(SLOTS, slots)];
                for (int j = 0; j < slots; j++) {
                    row[j] = in.varLong();
                }
                s.days.put(day, row);
            }
            return s;
        }

        private void writeEpisode(long[] e, BinaryCodec.Writer out) {
            out.bool(e != null);
            if (e != null) {
                out.varLong(e[0]).varLong(e[1]).varLong(e[2]);
            }
        }

        private long[] readEpisode(BinaryCodec.Reader in) {
            return in.bool() ? new long[] {in.varLong(), in.varLong(), in.varLong()} : null;
        }
    };
}
