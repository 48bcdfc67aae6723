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
    /** Partitions of the clearing input topic, set by the runtime (absent: as seen, as in a test driver). */
    public static final String CLEARING_CHANNELS_CONFIG = "fundwatch.input.partitions.clearing";

    private final Map<Integer, Long> channels = new HashMap<>();
    private final int expectedChannels;
    /** Where the count of unseen channels is reported (null: nowhere), and under which detector. */
    private final FundwatchMetrics metrics;
    private final String detector;
    private int reportedUnseen;

    /** @param expectedChannels partitions of the upstream topic (0 or less: as many as have been seen) */
    public ChannelProgress(int expectedChannels) {
        this(expectedChannels, null, null);
    }

    private ChannelProgress(int expectedChannels, FundwatchMetrics metrics, String detector) {
        this.expectedChannels = expectedChannels;
        this.metrics = metrics;
        this.detector = detector;
        this.reportedUnseen = unseen();
        if (metrics != null) {
            metrics.unseenClearingPartitions(detector, this, reportedUnseen);
        }
    }

    /**
     * The clearing partitions' progress for one task of {@code detector}, expecting as many channels as the runtime
     * configured ({@code fundwatch.input.partitions.clearing}). Until every one has shown itself, nothing is
     * complete, so the detector's day verdicts (or purges) wait: the count waiting is reported in the gauge
     * {@code fundwatch_clearing_partitions_unseen} ({@link FundwatchMetrics#unseenClearingPartitions}) — call
     * {@link #close()} when the task closes.
     */
    public static ChannelProgress ofClearing(Map<String, Object> appConfigs, FundwatchMetrics metrics,
            String detector) {
        return new ChannelProgress(expected(appConfigs, CLEARING_CHANNELS_CONFIG), metrics, detector);
    }

    /** The task is closing: its wait no longer counts in the gauge. */
    public void close() {
        if (metrics != null) {
            metrics.forgetClearingTask(detector, this);
        }
    }

    /** The channels' count as configured under {@code key} in the app configs (0 when absent). */
    public static int expected(Map<String, Object> appConfigs, String key) {
        Object n = appConfigs.get(key);
        return n == null ? 0 : Integer.parseInt(n.toString());
    }

    public void see(int channel, long eventTime) {
        channels.merge(channel, eventTime, Math::max);
        if (reportedUnseen > 0 && metrics != null && unseen() != reportedUnseen) {
            reportedUnseen = unseen();
            metrics.unseenClearingPartitions(detector, this, reportedUnseen);
        }
    }

    /** Expected channels that have not shown themselves yet (0 when the count is not configured). */
    public int unseen() {
        return Math.max(0, expectedChannels - channels.size());
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
