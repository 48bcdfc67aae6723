package fundwatch.topology.unreconciled;

import java.util.HashMap;
import java.util.Map;

/**
 * How far one input of a reconciliation task has come. The input reaches the task through a repartition, so it
 * interleaves one channel per upstream partition ({@link fundwatch.topology.support.SourcePartition}), each in its
 * own event-time order; replaying a backlog, they run days apart. The input has come as far as its slowest channel
 * that is still delivering — not as far as the newest record it brought, which said nothing about a payment still on
 * its way through a slower channel and declared honest flows unreconciled on every platform.
 *
 * <p>A channel that has delivered nothing for the quiet period (wall clock) no longer holds the input back. When no
 * channel is delivering, the input counts as its newest time, but at least {@code maxSkew} behind the lead, so an
 * input that went silent cannot hold verdicts back forever.
 *
 * <p>Channel marks live in memory only. After a (re)start the channels show themselves one by one, and a verdict
 * passed on the first to arrive would be passed on a channel that may be days ahead of the others: so for
 * {@code discoveryMs} nothing is complete — or, when the input is known to reach every task from all of its
 * {@code channels} partitions, until each has shown itself.
 */
final class InputProgress {
    /** Channel → {newest event time, wall-clock time it last moved on, newest event time at the last pass}. */
    private final Map<Integer, long[]> channels = new HashMap<>();
    private final long startedAt;
    private final int expectedChannels;
    private final boolean everyChannelReachesEveryTask;
    private final long discoveryMs;

    /**
     * @param expectedChannels partitions of the input's source topic; 0 or 1 when unknown or single (then there is
     *                         nothing to discover)
     * @param everyChannelReachesEveryTask whether each task hears from all partitions (a topic keyed by something
     *                         other than the repartition key), so discovery can end once all have shown themselves
     */
    InputProgress(long startedAt, int expectedChannels, boolean everyChannelReachesEveryTask, long discoveryMs) {
        this.startedAt = startedAt;
        this.expectedChannels = expectedChannels;
        this.everyChannelReachesEveryTask = everyChannelReachesEveryTask;
        this.discoveryMs = discoveryMs;
    }

    InputProgress(long startedAt) {
        this(startedAt, 0, false, 0);
    }

    /**
     * A record from {@code channel}. Only a record that moves the channel on counts as delivering: a partition
     * that sends nothing but old records (a producer replaying) goes quiet like a silent one.
     *
     * @return whether the channel moved on by {@code step} or more since the last pass ({@link #passed}): the
     *         input's progress may have moved
     */
    boolean seen(int channel, long eventTime, long wallNow, long step) {
        long[] c = channels.computeIfAbsent(channel, k -> new long[] {Long.MIN_VALUE, wallNow, Long.MIN_VALUE});
        if (eventTime <= c[0]) {
            return false;
        }
        c[0] = eventTime;
        c[1] = wallNow;
        return c[2] == Long.MIN_VALUE || eventTime >= c[2] + step;
    }

    /** An expiry pass has judged with the channels as they are now. */
    void passed() {
        for (long[] c : channels.values()) {
            c[2] = c[0];
        }
    }

    /**
     * @param newest  the newest event time this input ever brought (kept across restarts by the caller)
     * @param lead    how far the task has come on any input
     * @return the event time up to which this input is complete
     */
    long progress(long newest, long lead, long maxSkew, long quietMs, long wallNow) {
        if (expectedChannels > 1 && wallNow - startedAt < discoveryMs
                && (!everyChannelReachesEveryTask || channels.size() < expectedChannels)) {
            return Long.MIN_VALUE / 2;
        }
        long slowest = Long.MAX_VALUE;
        for (long[] c : channels.values()) {
            if (wallNow - c[1] < quietMs) {
                slowest = Math.min(slowest, c[0]);
            }
        }
        if (slowest != Long.MAX_VALUE) {
            return slowest;
        }
        if (wallNow - startedAt < quietMs && channels.isEmpty()) {
            return Long.MIN_VALUE / 2; // just started: the channels have not shown themselves yet
        }
        return Math.max(newest, lead - maxSkew);
    }
}
