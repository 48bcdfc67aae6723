package fundwatch.topology.unreconciled;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Utils;

/**
 * How far the two money inputs of one reconciliation task have come, in event time and nothing else: no wall
 * clock, no "quiet" periods, no newest-record-wins. A backlog read after a restart and a live feed then give the
 * same verdicts, because each verdict depends only on what each upstream partition had delivered, in its own order.
 *
 * <p>Both inputs reach the task through a repartition, so each interleaves one channel per upstream partition
 * ({@link fundwatch.topology.support.SourcePartition}), each in its own event-time order; a backlog replays them
 * days apart, and how far one has come says nothing about the others.
 * <ul>
 *   <li><b>Clearing</b> (keyed by payer account at the source, so every platform's payments come through every
 *   partition): complete up to its slowest channel. Every clearing partition sends progress marks to every task that
 *   has not heard from it for a while ({@code PlatformLeg#progressMark}), so a partition with nothing for this
 *   task's platforms still moves on; until each of the topic's partitions has shown itself nothing is complete.</li>
 *   <li><b>Custody</b> (keyed by platform at the source): one platform's ledger comes through one partition in its
 *   order, so it is complete up to its newest movement. A platform whose ledger goes quiet is complete up to its
 *   channel's progress less {@code maxLedgerDelay} (a custodian that delivers its day in a batch the next morning
 *   is not quiet), as {@link fundwatch.topology.support.LedgerProgress} judges custody days.</li>
 * </ul>
 * Out-of-order records within a channel are covered by the detector's grace period.
 *
 * <p>Progress is kept in memory and written to the task's store at each expiry pass ({@link #dirty}); after a restart
 * it starts from the last pass, which can only delay a verdict, never bring one forward.
 */
final class InputProgress {
    private final int clearingChannels;
    private final int custodyChannels;
    private final Map<Integer, Long> clearing = new HashMap<>();
    private final Map<Integer, Long> custody = new HashMap<>();
    /** Platform → {newest custody event time, the custody channel it comes through}. */
    private final Map<String, long[]> platforms = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();

    static final String KEY_PREFIX = "~progress|";
    private static final String CLEARING = KEY_PREFIX + "l|";
    private static final String CUSTODY = KEY_PREFIX + "c|";
    private static final String PLATFORM = KEY_PREFIX + "p|";

    /**
     * @param clearingChannels partitions of the clearing input topic (0: unknown, then the channels seen count)
     * @param custodyChannels  partitions of the custody input topic (0: unknown)
     */
    InputProgress(int clearingChannels, int custodyChannels) {
        this.clearingChannels = clearingChannels;
        this.custodyChannels = custodyChannels;
    }

    /** A clearing leg or progress mark from {@code channel}. */
    void clearing(int channel, long eventTime) {
        Long before = clearing.get(channel);
        if (before == null || eventTime > before) {
            clearing.put(channel, eventTime);
            dirty.add(CLEARING + channel);
        }
    }

    /** A custody movement of {@code platformId} from {@code channel}. */
    void custody(String platformId, int channel, long eventTime) {
        Long before = custody.get(channel);
        if (before == null || eventTime > before) {
            custody.put(channel, eventTime);
            dirty.add(CUSTODY + channel);
        }
        long[] p = platforms.get(platformId);
        if (p == null || eventTime > p[0] || p[1] != channel) {
            platforms.put(platformId, new long[] {p == null ? eventTime : Math.max(p[0], eventTime), channel});
            dirty.add(PLATFORM + platformId);
        }
    }

    /** Clearing channels expected but not seen yet (0 when the count is not configured). */
    int unseenClearing() {
        return Math.max(0, clearingChannels - clearing.size());
    }

    /** Up to when every clearing channel has delivered (Long.MIN_VALUE until each has shown itself). */
    long clearing() {
        if (clearing.isEmpty() || clearing.size() < clearingChannels) {
            return Long.MIN_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (long t : clearing.values()) {
            min = Math.min(min, t);
        }
        return min;
    }

    /** Up to when the platform's custody ledger is complete. */
    long custody(String platformId, long maxLedgerDelay) {
        long[] p = platforms.get(platformId);
        long own = p == null ? Long.MIN_VALUE : p[0];
        long channel = channelProgress(p != null ? (int) p[1] : channelOf(platformId));
        return channel == Long.MIN_VALUE ? own : Math.max(own, channel - maxLedgerDelay);
    }

    /** The furthest any platform's custody can be: the newest custody channel. */
    long custodyCeiling() {
        long max = Long.MIN_VALUE;
        for (long t : custody.values()) {
            max = Math.max(max, t);
        }
        return max;
    }

    /** Custody is complete up to here for every platform of the task, quiet or not. */
    long custodyFloor(long maxLedgerDelay) {
        if (custody.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (long t : custody.values()) {
            min = Math.min(min, t);
        }
        return min - maxLedgerDelay;
    }

    /**
     * The custody channel of a platform with no movement yet: the producer's default partitioner (murmur2 of the
     * platform id, CONTRACT.md) when the partition count is known; otherwise -1, "the slowest channel seen".
     */
    private int channelOf(String platformId) {
        return custodyChannels > 1
                ? Utils.toPositive(Utils.murmur2(platformId.getBytes(StandardCharsets.UTF_8))) % custodyChannels
                : -1;
    }

    private long channelProgress(int channel) {
        Long t = custody.get(channel);
        if (t != null) {
            return t;
        }
        if (custodyChannels > 1 && channel >= 0) {
            return Long.MIN_VALUE; // that partition has not reached this task yet
        }
        long min = Long.MAX_VALUE;
        for (long v : custody.values()) {
            min = Math.min(min, v);
        }
        return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
    }

    /** Writes what moved since the last call as (key, value) pairs of the task's store. */
    void flush(BiConsumer<String, String> put) {
        for (String key : dirty) {
            if (key.startsWith(CLEARING)) {
                put.accept(key, Long.toString(clearing.get(Integer.parseInt(key.substring(CLEARING.length())))));
            } else if (key.startsWith(CUSTODY)) {
                put.accept(key, Long.toString(custody.get(Integer.parseInt(key.substring(CUSTODY.length())))));
            } else {
                long[] p = platforms.get(key.substring(PLATFORM.length()));
                put.accept(key, p[0] + "," + p[1]);
            }
        }
        dirty.clear();
    }

    /** Restores one entry written by {@link #flush}. */
    void restore(String key, String value) {
        if (key.startsWith(CLEARING)) {
            clearing.put(Integer.parseInt(key.substring(CLEARING.length())), Long.parseLong(value));
        } else if (key.startsWith(CUSTODY)) {
            custody.put(Integer.parseInt(key.substring(CUSTODY.length())), Long.parseLong(value));
        } else if (key.startsWith(PLATFORM)) {
            int comma = value.indexOf(',');
            platforms.put(key.substring(PLATFORM.length()), new long[] {Long.parseLong(value.substring(0, comma)),
                    Long.parseLong(value.substring(comma + 1))});
        }
    }
}
