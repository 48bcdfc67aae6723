package fundwatch.topology.paymentinstitution;

import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.DayWindows;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The days of a per-institution-per-day store ({@link DayKeys}) as the clearing partitions' progress reaches and
 * passes them — what D3c, D3d and D3e decide on instead of stream time, which a backlog runs ahead with whichever
 * input it delivers first:
 * <ul>
 *   <li>a day is <b>released</b> (its verdicts may go out) once every clearing partition has reached it: a backlog
 *   interleaves the partitions, so one partition's next day could otherwise be judged before another partition's
 *   payments of the day before, and the alert's episode would open on the later day;</li>
 *   <li>a day is <b>past its grace</b> (a payment for it is late, its entry may go) once every clearing partition
 *   has passed its end + grace.</li>
 * </ul>
 * Both read only the days concerned, by a range over the day-ordered keys. The released day is kept in memory;
 * after a restart the days in the store are released (judged) again, which the alert lifecycle does not repeat.
 *
 * <p>While a clearing partition has never delivered anything, nothing is released or closed; the gauge
 * {@code fundwatch_clearing_partitions_unseen} tells the operator ({@link ChannelProgress#ofClearing}).
 */
public final class ClearingDays {
    private final DayWindows windows;
    private final ChannelProgress clearing;
    /** Days starting at or before this are released. */
    private long released = Long.MIN_VALUE;

    /** @param clearing the task's clearing progress, reporting unseen partitions */
    public ClearingDays(DayWindows windows, ChannelProgress clearing) {
        this.windows = windows;
        this.clearing = clearing;
    }

    /** A record or progress mark from clearing partition {@code channel}. */
    public void see(int channel, long eventTime) {
        clearing.see(channel, eventTime);
    }

    /** The task is closing. */
    public void close() {
        clearing.close();
    }

    /** Up to when every clearing partition has delivered (Long.MIN_VALUE until each has shown itself). */
    public long progress() {
        return clearing.progress();
    }

    public boolean isReleased(long dayStart) {
        return dayStart <= released;
    }

    /** Whether an event of the day ending at {@code dayEnd} comes after every partition passed that end + grace. */
    public boolean isLate(long dayEnd, long graceMs) {
        return clearing.progress() > dayEnd + graceMs;
    }

    /** Whether the clearing progress has entered a day not released yet (per record, before any release work). */
    public boolean hasNewDay() {
        long progress = clearing.progress();
        return progress != Long.MIN_VALUE && windows.windowStart(progress) > released;
    }

    /**
     * Once the clearing progress has entered a new day, the verdicts of the days it has now reached, in day order
     * (empty otherwise). {@code judge} returns null for a day below its thresholds; a null {@code judge} (the
     * detector switched off) moves the released day on without reading the store.
     */
    public <V> List<Finding> release(KeyValueStore<String, V> store, Function<V, Finding> judge) {
        long progress = clearing.progress();
        if (progress == Long.MIN_VALUE) {
            return List.of();
        }
        long reached = windows.windowStart(progress);
        if (reached <= released) {
            return List.of();
        }
        String from = released == Long.MIN_VALUE ? DayKeys.FIRST : DayKeys.after(released);
        released = reached;
        if (judge == null) {
            return List.of();
        }
        List<Finding> due = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, DayKeys.after(reached))) {
            while (it.hasNext()) {
                Finding f = judge.apply(it.next().value);
                if (f != null) {
                    due.add(f);
                }
            }
        }
        return due;
    }

    /** The entries, in day order, of the days whose end + grace every clearing partition has passed. */
    public <V> List<KeyValue<String, V>> pastGrace(KeyValueStore<String, V> store, long graceMs,
            ToLongFunction<V> dayEnd) {
        long progress = clearing.progress();
        if (progress == Long.MIN_VALUE) {
            return List.of();
        }
        List<KeyValue<String, V>> due = new ArrayList<>();
        // A day can only be past its grace if it started before progress - grace.
        try (KeyValueIterator<String, V> it = store.range(DayKeys.FIRST, DayKeys.after(progress - graceMs))) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                if (dayEnd.applyAsLong(kv.value) + graceMs < progress) {
                    due.add(kv);
                }
            }
        }
        return due;
    }

    /**
     * The start of the oldest day still within its grace: every day before it has been passed by its end + grace by
     * every clearing partition (MIN_VALUE until each partition has shown itself). It moves once per day.
     */
    public long openFrom(long graceMs) {
        long progress = clearing.progress();
        return progress == Long.MIN_VALUE ? Long.MIN_VALUE : windows.windowStart(progress - graceMs - 1);
    }
}
