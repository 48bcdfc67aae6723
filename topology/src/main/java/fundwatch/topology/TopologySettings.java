package fundwatch.topology;

import java.time.Duration;
import java.time.ZoneId;

/**
 * Settings that shape the topology itself (as opposed to detector thresholds, which are run-time rules).
 *
 * @param internalPartitions partitions of fundwatch's repartition topics; fixed so streams keyed by platform
 *                           from different inputs are co-partitioned whatever the input topics' counts
 * @param dedupSpan          how far apart in event time two copies of one event may arrive and still be
 *                           recognised as a redelivery
 * @param maxFutureSkew      event times further ahead of the wall clock than this are rejected as absurd
 * @param zone               the zone whose calendar days daily windows follow
 * @param lookThrough        whether D8's look-through tracing (and with it D8a, D8b) is wired at all: it follows
 *                           money through every account, so it has a cost the bench reports with it on and off
 */
public record TopologySettings(int internalPartitions, Duration dedupSpan, Duration maxFutureSkew, ZoneId zone,
        boolean lookThrough) {
    public TopologySettings {
        if (internalPartitions < 1) {
            throw new IllegalArgumentException("internalPartitions must be >= 1");
        }
    }

    public TopologySettings(int internalPartitions, Duration dedupSpan, Duration maxFutureSkew, ZoneId zone) {
        this(internalPartitions, dedupSpan, maxFutureSkew, zone, true);
    }

    public TopologySettings withLookThrough(boolean on) {
        return new TopologySettings(internalPartitions, dedupSpan, maxFutureSkew, zone, on);
    }

    public static TopologySettings defaults() {
        return new TopologySettings(6, Duration.ofDays(7), Duration.ofDays(1), ZoneId.of("Asia/Shanghai"));
    }
}
