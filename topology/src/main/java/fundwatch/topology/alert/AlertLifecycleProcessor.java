package fundwatch.topology.alert;

import fundwatch.avro.FundFlowAlert;
import fundwatch.topology.support.FundwatchMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one alert mechanism every detector feeds: turns findings into FundFlowAlerts, one alertId per episode of a
 * (detector, subject), with revision numbers, and suppresses repeats (DETECTION.md, "Alert behaviour").
 *
 * <p><b>Episodes, not windows.</b> A subject is (subjectType, subjectId) within the finding's platform scope
 * ({@link AlertIds}). Detectors judge windows (a Beijing day, a sliding 7 or 30 days) and report each
 * finding with its own windowStart/windowEnd. Each finding is also placed on the time line by its <i>firing
 * end</i>: the end of the day, counted from its windowStart, that holds its newest event. A finding continues the
 * subject's open episode when its window starts no later than the episode's latest firing end — consecutive daily
 * windows touch, sliding windows overlap — so the episode closes only once a full window length has passed without
 * firing (a day for D1a/D3a/D3b, 7 days for D6 and D1c, 30 for D5). A finding whose window starts later opens a new
 * episode, whose alertId is derived from (detector, subject, that windowStart). The alert carries the
 * episode's span: its earliest window start and latest window end.
 *
 * <p><b>Revisions.</b> A finding is re-emitted (next revision) only when its severity changed, its material value
 * grew by at least the rule's {@code reemitMinGrowth} over the last emitted revision, or it reaches into a window
 * the episode has not announced yet (an ongoing scheme's next day is news; its hundredth payment that day is not).
 *
 * <p><b>Memory.</b> The state is one {@link Episode} per (detector, subject), O(1) per finding. An episode that
 * stopped firing is forgotten {@link #retentionMillis} after its firing end (at least 7 days, at least two window
 * lengths) — measured on the lifecycle's own clock, the newest firing end of any finding it has placed, and
 * {@link #FORGET_MARGIN} later still. Not on stream time: a task reading a backlog runs one input days ahead of
 * another, and findings judged on the slower one would have been dropped or given other ids than the same input
 * read live gives (issue #19). The margin keeps subjects that one task judges at different paces from forgetting
 * each other's episodes.
 * An alertId's revisions never restart: the horizon below which episodes may have been forgotten is kept in the
 * store ({@link #FORGOTTEN_BEFORE}); a finding whose episode would lie below it, or that belongs to an episode before
 * the open one, is counted ({@value #DROPPED_METRIC}) and dropped, and an episode opening on a window that starts
 * below it gets an id that also names its first firing day ({@link AlertIds#reopened}), so it can never be revision
 * 1 of a forgotten id.
 *
 * <p>The episode lives in a changelogged store and is committed in the same transaction as the alert, so under
 * exactly-once a crash can neither duplicate an (alertId, revision) pair nor skip one.
 */
public final class AlertLifecycleProcessor implements Processor<String, Finding, String, FundFlowAlert> {
    /** A closed episode is remembered at least this long after it last fired. */
    static final Duration MIN_RETENTION = Duration.ofDays(7);
    /** Findings are judged at day granularity (Beijing days, {@code DayWindows}). */
    static final long DAY = Duration.ofDays(1).toMillis();
    static final String DROPPED_METRIC = "fundwatch.alert.findings.dropped";
    /** Episodes opened per detector: with {@code fundwatch.alerts.emitted}, the messages per alertId. */
    static final String EPISODES_METRIC = "fundwatch.alert.episodes.opened";
    /** How much further than its retention the clock must be past an episode before it is forgotten. */
    static final long FORGET_MARGIN = Duration.ofDays(30).toMillis();
    /** The store entry (not a subject: subject keys never start with NUL) whose firingEnd is that horizon. */
    static final String FORGOTTEN_BEFORE = "\u0000forgotten-before";

    private final String storeName;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, FundFlowAlert> context;
    private KeyValueStore<String, Episode> store;
    /** The newest firing end placed since the start; in memory (after a restart it only forgets later). */
    private long clock = Long.MIN_VALUE;
    /** Episodes whose firing end + retention lies below this may have been forgotten. */
    private long forgottenBefore = Long.MIN_VALUE;

    public AlertLifecycleProcessor(String storeName, FundwatchMetrics metrics) {
        this.storeName = storeName;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, FundFlowAlert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        Episode horizon = store.get(FORGOTTEN_BEFORE);
        this.forgottenBefore = horizon == null ? Long.MIN_VALUE : horizon.firingEnd();
        // When to look is stream time's business; what is forgotten follows the clock above.
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, t -> purge());
    }

    @Override
    public void process(Record<String, Finding> record) {
        Finding f = record.value();
        long firingEnd = firingEnd(f);
        long retain = retentionMillis(f);
        clock = Math.max(clock, firingEnd);
        if (firingEnd + retain < forgottenBefore) {
            dropped(f, "expired");
            return;
        }
        String key = AlertIds.subjectKey(f.detector(), f.subjectType().name(), f.subjectId(), f.platformId());
        Episode open = store.get(key);
        Episode next;
        if (open != null && f.windowStart() <= open.firingEnd()) {
            if (firingEnd < open.windowStart()) {
                // It ends before the open episode began: it belonged to an earlier, closed episode.
                dropped(f, "closed-episode");
                return;
            }
            next = continued(open, f, firingEnd, retain);
            if (!isMaterial(open, f)) {
                store.put(key, next);
                return;
            }
        } else {
            next = opened(storeName, f, firingEnd, retain, forgottenBefore);
            metrics.registry().counter(EPISODES_METRIC, "detector", f.detector()).increment();
        }
        next = announced(next, f);
        store.put(key, next);
        long now = context.currentSystemTimeMs();
        FundFlowAlert alert = toAlert(next, f, now);
        metrics.alertEmitted(f.detector(), f.severity().name());
        metrics.alertLatency(f.detector(), now - f.lastEventTime());
        // Timestamped at emission, not event time: an alert raised while a months-old backlog replays must not
        // fall under the alert topic's retention before a case system reads it (lastEventTime is in the value).
        context.forward(new Record<>(f.subjectId(), alert, now));
    }

    /**
     * The end of the day, counted from the finding's windowStart, that holds its newest event: when the finding was
     * last seen true. For a one-day window it is the window's end; for a sliding window reported from its start it
     * is the day being judged.
     */
    static long firingEnd(Finding f) {
        long newest = Math.max(f.lastEventTime(), f.windowStart());
        long days = Math.max(1, Math.floorDiv(newest - f.windowStart(), DAY) + 1);
        return f.windowStart() + days * DAY;
    }

    /** How long after it last fired an episode is remembered: at least 7 days and two window lengths. */
    static long retentionMillis(Finding f) {
        return Math.max(MIN_RETENTION.toMillis(), 2 * Math.max(0, f.windowEnd() - f.windowStart()));
    }

    private static Episode opened(String lifecycle, Finding f, long firingEnd, long retain, long forgottenBefore) {
        String type = f.subjectType().name();
        // A window starting inside the retention horizon cannot be a forgotten episode's anchor: that one last fired
        // more than its retention before the horizon, and its anchor is earlier still.
        String alertId = f.windowStart() + retain >= forgottenBefore
                ? AlertIds.episode(lifecycle, f.detector(), type, f.subjectId(), f.platformId(), f.windowStart())
                : AlertIds.reopened(lifecycle, f.detector(), type, f.subjectId(), f.platformId(), f.windowStart(),
                        firingEnd);
        return new Episode(alertId, f.windowStart(), f.windowStart(), f.windowEnd(), firingEnd, retain, 0, null, 0,
                Long.MIN_VALUE);
    }

    private static Episode continued(Episode e, Finding f, long firingEnd, long retain) {
        return new Episode(e.alertId(), e.anchor(), Math.min(e.windowStart(), f.windowStart()),
                Math.max(e.windowEnd(), f.windowEnd()), Math.max(e.firingEnd(), firingEnd),
                Math.max(e.retainMillis(), retain), e.revision(), e.severity(), e.materialValue(),
                e.announcedWindowEnd());
    }

    private static Episode announced(Episode e, Finding f) {
        return new Episode(e.alertId(), e.anchor(), e.windowStart(), e.windowEnd(), e.firingEnd(), e.retainMillis(),
                e.revision() + 1, f.severity().name(), f.materialValue(), e.windowEnd());
    }

    /** Whether a finding of an open episode is worth a new revision, judged against the last emitted one. */
    static boolean isMaterial(Episode last, Finding f) {
        if (!f.severity().name().equals(last.severity())) {
            return true;
        }
        if (f.windowEnd() > last.announcedWindowEnd()) {
            return true;
        }
        return f.materialValue() > last.materialValue()
                && f.materialValue() >= last.materialValue() * (1 + f.reemitMinGrowth());
    }

    private void dropped(Finding f, String reason) {
        metrics.registry().counter(DROPPED_METRIC, "detector", f.detector(), "reason", reason).increment();
    }

    static FundFlowAlert toAlert(Episode e, Finding f, long nowMillis) {
        FundFlowAlert a = toAlert(e.alertId(), e.revision(), f, nowMillis);
        a.setWindowStart(Instant.ofEpochMilli(e.windowStart()));
        a.setWindowEnd(Instant.ofEpochMilli(e.windowEnd()));
        return a;
    }

    static FundFlowAlert toAlert(String alertId, int revision, Finding f, long nowMillis) {
        List<fundwatch.avro.Evidence> evidence = new ArrayList<>(f.evidence().size());
        f.evidence().forEach(e -> evidence.add(e.toAvro()));
        return FundFlowAlert.newBuilder()
                .setAlertId(alertId)
                .setRevision(revision)
                .setDetector(f.detector())
                .setSeverity(f.severity())
                .setScore(f.score())
                .setSubjectId(f.subjectId())
                .setSubjectType(f.subjectType())
                .setPlatformId(f.platformId())
                .setRegionCode(f.regionCode())
                .setWindowStart(Instant.ofEpochMilli(f.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(f.windowEnd()))
                .setLastEventTime(Instant.ofEpochMilli(f.lastEventTime()))
                .setDetectedAt(Instant.ofEpochMilli(nowMillis))
                .setMetrics(new TreeMap<>(f.metrics()))
                .setThresholds(new TreeMap<>(f.thresholds()))
                .setEvidence(evidence)
                .setRuleVersion(f.ruleVersion())
                .setSummary(f.summary())
                .build();
    }

    private void purge() {
        if (clock == Long.MIN_VALUE || clock - FORGET_MARGIN <= forgottenBefore) {
            return;
        }
        long horizon = clock - FORGET_MARGIN;
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, Episode> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Episode> kv = it.next();
                if (!kv.key.equals(FORGOTTEN_BEFORE) && kv.value.firingEnd() + kv.value.retainMillis() < horizon) {
                    closed.add(kv.key);
                }
            }
        }
        // The horizon first, in the same transaction: no finding may take a forgotten episode's id for a new one.
        forgottenBefore = horizon;
        store.put(FORGOTTEN_BEFORE, new Episode("", 0, 0, 0, horizon, 0, 0, null, 0, 0));
        closed.forEach(store::delete);
    }

    /** Helper for detectors: a metrics map in a stable order. */
    public static Map<String, Double> metrics(Object... kv) {
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }
}
