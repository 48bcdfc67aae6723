package fundwatch.topology.support;

import java.util.HashMap;
import java.util.Map;

/**
 * How far every upstream partition (channel, {@link SourcePartition}) of one repartitioned input has come: the
 * newest event time each has brought (records and progress marks), and the least of those once every expected
 * channel has shown itself. A detector that drops late records or closes days on this, not on stream time, cuts
 * the same days whether the input is read live or as a backlog: stream time runs ahead with whichever input a
 * backlog happens to deliver first. In memory (one entry per upstream partition), rebuilt after a restart.
 */
public final class ChannelProgress {
    private final Map<Integer, Long> channels = new HashMap<>();
    private final int expectedChannels;

    /** @param expectedChannels partitions of the upstream topic (0 or less: as many as have been seen) */
    public ChannelProgress(int expectedChannels) {
        this.expectedChannels = expectedChannels;
    }

    /** The channels' count as configured under {@code key} in the app configs (0 when absent). */
    public static int expected(Map<String, Object> appConfigs, String key) {
        Object n = appConfigs.get(key);
        return n == null ? 0 : Integer.parseInt(n.toString());
    }

    public void see(int channel, long eventTime) {
        channels.merge(channel, eventTime, Math::max);
    }

    /** Up to when every channel has delivered (Long.MIN_VALUE until each has shown itself). */
    public long progress() {
        if (channels.isEmpty() || channels.size() < expectedChannels) {
            return Long.MIN_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (long t : channels.values()) {
            min = Math.min(min, t);
        }
        return min;
    }
}
