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
 * The one alert mechanism every detector feeds: turns findings into FundFlowAlerts with a deterministic id
 * and a revision number, and suppresses repeats. A finding is re-emitted only when its severity changes or its
 * material value has grown by at least the rule's {@code reemitMinGrowth} since the last emission.
 *
 * <p>The revision counter lives in a changelogged store and is committed in the same transaction as the alert,
 * so under exactly-once a crash can neither duplicate an (alertId, revision) pair nor skip one.
 */
public final class AlertLifecycleProcessor implements Processor<String, Finding, String, FundFlowAlert> {
    /** Alert state is kept this long past a window's end, so a very late finding still continues its revisions. */
    static final Duration RETENTION_AFTER_WINDOW = Duration.ofDays(7);

    private final String storeName;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, FundFlowAlert> context;
    private KeyValueStore<String, AlertState> store;

    public AlertLifecycleProcessor(String storeName, FundwatchMetrics metrics) {
        this.storeName = storeName;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, FundFlowAlert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Finding> record) {
        Finding f = record.value();
        String alertId = AlertIds.of(f.detector(), f.subjectType().name(), f.subjectId(), f.windowStart(),
                f.windowEnd());
        AlertState last = store.get(alertId);
        if (last != null && !isMaterial(last, f)) {
            return;
        }
        int revision = last == null ? 1 : last.revision() + 1;
        store.put(alertId, new AlertState(alertId, revision, f.severity().name(), f.materialValue(), f.windowEnd()));
        long now = context.currentSystemTimeMs();
        FundFlowAlert alert = toAlert(alertId, revision, f, now);
        metrics.alertEmitted(f.detector(), f.severity().name());
        metrics.alertLatency(f.detector(), now - f.lastEventTime());
        // Timestamped at emission, not event time: an alert raised while a months-old backlog replays must not
        // fall under the alert topic's retention before a case system reads it (lastEventTime is in the value).
        context.forward(new Record<>(f.subjectId(), alert, now));
    }

    static boolean isMaterial(AlertState last, Finding f) {
        if (!last.severity().equals(f.severity().name())) {
            return true;
        }
        return f.materialValue() > last.materialValue()
                && f.materialValue() >= last.materialValue() * (1 + f.reemitMinGrowth());
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

    private void purge(long streamTime) {
        long horizon = streamTime - RETENTION_AFTER_WINDOW.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                if (kv.value.windowEnd() < horizon) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
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
