package fundwatch.topology.support;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How far each platform's custody ledger has come, for the detectors that judge custody days: a day is final when
 * <em>that platform's</em> ledger has passed its end (plus grace), not when the task's stream time has. The platform
 * task also reads clearing legs and products, which move stream time on their own; judged by stream time, a
 * custodian that delivers its day in one batch the next morning would find the whole day already closed.
 *
 * <p>Custody is keyed by platform at the source, so one platform's movements come through one upstream partition, in
 * its order: the newest event time seen for a platform is its progress. A platform whose ledger goes quiet would
 * never close its last days, so a day is also final once the custody input as a whole (every platform of this task)
 * is {@code maxLedgerDelay} past it — longer than any custodian's batch delay.
 */
public final class LedgerProgress {
    private final KeyValueStore<String, Long> store;
    /** Newest custody event time of any platform of this task; rebuilt from the traffic after a restart. */
    private long task = Long.MIN_VALUE;

    public LedgerProgress(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** The platform's progress before {@code eventTime} is counted (Long.MIN_VALUE: none yet). */
    public long platform(String platformId) {
        Long v = store.get(platformId);
        return v == null ? Long.MIN_VALUE : v;
    }

    /** Counts a movement of the platform; returns its progress after it. */
    public long advance(String platformId, long before, long eventTime) {
        task = Math.max(task, eventTime);
        if (eventTime > before) {
            store.put(platformId, eventTime);
            return eventTime;
        }
        return before;
    }

    /** Whether a span ending at {@code end} is final for a platform whose ledger is at {@code platformProgress}. */
    public boolean isFinal(long end, long platformProgress, long graceMillis, long maxLedgerDelayMillis) {
        return end + graceMillis <= platformProgress
                || (task != Long.MIN_VALUE && end + graceMillis + maxLedgerDelayMillis <= task);
    }

    /** Newest custody event time of this task, less the delay: spans ending before it are final for every platform. */
    public long quietHorizon(long graceMillis, long maxLedgerDelayMillis) {
        return task == Long.MIN_VALUE ? Long.MIN_VALUE : task - graceMillis - maxLedgerDelayMillis;
    }

    public void forget(String platformId) {
        store.delete(platformId);
    }
}
