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

    private final String profileStoreName;
    private final String alertStoreName;
    private KeyValueStore<String, RiskProfile> profiles;
    private KeyValueStore<String, FundFlowAlert> alerts;

    public PlatformViewProcessor(String profileStoreName, String alertStoreName) {
        this.profileStoreName = profileStoreName;
        this.alertStoreName = alertStoreName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        profiles = context.getStateStore(profileStoreName);
        alerts = context.getStateStore(alertStoreName);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
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
        alerts.put(alertKey, a);
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
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, FundFlowAlert> it = alerts.all()) {
            while (it.hasNext()) {
                KeyValue<String, FundFlowAlert> kv = it.next();
                if (kv.value.getWindowEnd().toEpochMilli() < horizon) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(alerts::delete);
    }
}
