package fundwatch.topology.growth;

import java.util.TreeMap;

/**
 * What D6 keeps per platform besides its days: where its history begins, the levels carried by days no longer
 * kept, the month-end snapshots for the shrink check and the open growth episode.
 */
public final class PlatformGrowth {
    /** Epoch day (Beijing) of the first movement fundwatch saw for this platform. */
    public long firstDay = Long.MIN_VALUE;
    /** The last day whose verdict is final (stream time past its end + grace); Long.MIN_VALUE before any. */
    public long lastClosedDay = Long.MIN_VALUE;
    /** Outstanding balance and positive-lender count accumulated by days that were dropped from the series. */
    public long outstandingBaseMinor;
    public long positiveLendersBase;
    /** yyyymm → the month's closing levels {outstandingMinor, positiveLenders}. */
    public TreeMap<Integer, long[]> monthEnds = new TreeMap<>();
    /** The open spurt episode {windowStart, windowEnd, highest severity ordinal}, or null. */
    public long[] episode;
}
