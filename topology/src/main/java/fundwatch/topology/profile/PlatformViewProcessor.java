package fundwatch.topology.profile;

import fundwatch.avro.FundFlowAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per platform, the risk profile and the latest revision of each alert, for the HTTP surface. It reads
 * the committed alert topic back (keyed by platform), so it sees every detector's alerts exactly once and no
 * detector needs to know it exists.
 */
public final class PlatformViewProcessor implements Processor<String, FundFlowAlert, Void, Void> {
    /** Alerts without a platform (e.g. cross-platform borrower caps) are kept under this key. */
    public static final String NO_PLATFORM = "-";
    public static final String PROFILE_STORE = "platform-risk-profile-store";
    public static final String ALERTS_STORE = "platform-alerts-store";
    /**
     * GET /alerts newest first without a scan: {@code detector|reverse detectedAt|alertId} and the same under
     * {@link #ANY_DETECTOR}, each pointing at the alert's key in {@link #ALERTS_STORE}. A prefix scan reads the
     * newest entries first and stops at the limit.
     */
    public static final String ALERTS_INDEX_STORE = "platform-alerts-index-store";
    public static final String ANY_DETECTOR = "*";

    private final String profileStoreName;
    private final String alertStoreName;
    private final String indexStoreName;
    private KeyValueStore<String, RiskProfile> profiles;
    private KeyValueStore<String, FundFlowAlert> alerts;
    private KeyValueStore<String, String> index;

    public PlatformViewProcessor(String profileStoreName, String alertStoreName, String indexStoreName) {
        this.profileStoreName = profileStoreName;
        this.alertStoreName = alertStoreName;
        this.indexStoreName = indexStoreName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        profiles = context.getStateStore(profileStoreName);
        alerts = context.getStateStore(alertStoreName);
        index = context.getStateStore(indexStoreName);
        backfillIndex();
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    /**
     * The index store is newer than the alert store: after an upgrade it starts empty while the alerts are
     * restored, so it is rebuilt once from them (init runs after restoration). Idempotent: puts only.
     */
    private void backfillIndex() {
        try (KeyValueIterator<String, String> it = index.all()) {
            if (it.hasNext()) {
                return;
            }
        }
        try (KeyValueIterator<String, FundFlowAlert> it = alerts.all()) {
            it.forEachRemaining(kv -> indexPut(kv.key, kv.value));
        }
    }

    /** Index keys of an alert: one under its detector, one under {@link #ANY_DETECTOR}. */
    public static List<String> indexKeys(FundFlowAlert a) {
        String tail = '|' + String.format("%019d", Long.MAX_VALUE - a.getDetectedAt().toEpochMilli()) + '|'
                + a.getAlertId();
        return List.of(a.getDetector() + tail, ANY_DETECTOR + tail);
    }

    /** The prefix of the index entries of one detector, or of all with {@code null}. */
    public static String indexPrefix(String detector) {
        return (detector == null ? ANY_DETECTOR : detector) + '|';
    }

    private void indexPut(String alertKey, FundFlowAlert a) {
        indexKeys(a).forEach(k -> index.put(k, alertKey));
    }

    @Override
    public void process(Record<String, FundFlowAlert> record) {
        FundFlowAlert a = record.value();
        String platform = record.key();
        String alertKey = alertKey(platform, a.getAlertId());
        FundFlowAlert previous = alerts.get(alertKey);
        if (previous != null && previous.getRevision() >= a.getRevision()) {
            return;
        }
        if (previous != null) {
            indexKeys(previous).forEach(index::delete);
        }
        alerts.put(alertKey, a);
        indexPut(alertKey, a);
        if (NO_PLATFORM.equals(platform)) {
            return;
        }
        RiskProfile profile = profiles.get(platform);
        if (profile == null) {
            profile = RiskProfile.empty(platform, a.getRegionCode());
        }
        profiles.put(platform, profile.with(new OpenFinding(a.getAlertId(), a.getDetector(), a.getSeverity().name(),
                a.getScore(), a.getRevision(), a.getWindowStart().toEpochMilli(), a.getWindowEnd().toEpochMilli(),
                a.getLastEventTime().toEpochMilli(), a.getSummary()), a.getRegionCode()));
    }

    /** Store key of an alert: its platform first, so one platform's alerts are one range scan. */
    public static String alertKey(String platform, String alertId) {
        return platform + '|' + alertId;
    }

    private void expire(long streamTime) {
        long horizon = streamTime - Duration.ofDays(RiskProfile.OPEN_DAYS).toMillis();
        List<KeyValue<String, RiskProfile>> changed = new ArrayList<>();
        try (KeyValueIterator<String, RiskProfile> it = profiles.all()) {
            while (it.hasNext()) {
                KeyValue<String, RiskProfile> kv = it.next();
                RiskProfile expired = kv.value.expire(horizon);
                if (expired != kv.value) {
                    changed.add(KeyValue.pair(kv.key, expired));
                }
            }
        }
        changed.forEach(kv -> profiles.put(kv.key, kv.value));
        List<KeyValue<String, FundFlowAlert>> old = new ArrayList<>();
        try (KeyValueIterator<String, FundFlowAlert> it = alerts.all()) {
            while (it.hasNext()) {
                KeyValue<String, FundFlowAlert> kv = it.next();
                if (kv.value.getWindowEnd().toEpochMilli() < horizon) {
                    old.add(kv);
                }
            }
        }
        old.forEach(kv -> {
            alerts.delete(kv.key);
            indexKeys(kv.value).forEach(index::delete);
        });
    }
}
