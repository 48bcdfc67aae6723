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
 * @param stateStores        where detector state lives: RocksDB in every deployment; in memory only for replays
 *                           that are thrown away afterwards (see {@link StateStoreKind})
 */
public record TopologySettings(int internalPartitions, Duration dedupSpan, Duration maxFutureSkew, ZoneId zone,
        boolean lookThrough, StateStoreKind stateStores) {
    public TopologySettings {
        if (internalPartitions < 1) {
            throw new IllegalArgumentException("internalPartitions must be >= 1");
        }
        if (stateStores == null) {
            throw new IllegalArgumentException("stateStores must be set");
        }
    }

    /** Look-through on, state in RocksDB: what {@code run} and {@code demo} use. */
    public TopologySettings(int internalPartitions, Duration dedupSpan, Duration maxFutureSkew, ZoneId zone) {
        this(internalPartitions, dedupSpan, maxFutureSkew, zone, true, StateStoreKind.PERSISTENT);
    }

    /** The same topology with its state in memory: for a replay whose state is discarded when it ends. */
    public TopologySettings withStateInMemory() {
        return new TopologySettings(internalPartitions, dedupSpan, maxFutureSkew, zone, lookThrough,
                StateStoreKind.IN_MEMORY);
    }

    public TopologySettings withLookThrough(boolean on) {
        return new TopologySettings(internalPartitions, dedupSpan, maxFutureSkew, zone, on, stateStores);
    }

    public static TopologySettings defaults() {
        return new TopologySettings(6, Duration.ofDays(7), Duration.ofDays(1), ZoneId.of("Asia/Shanghai"));
    }
}
