package fundwatch.app.runtime;

import fundwatch.topology.profile.PlatformViewProcessor;
import fundwatch.topology.profile.RiskProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges over this instance's platform profiles, refreshed on a timer rather than on each scrape (a scrape must
 * not scan a store): open findings per detector, and the highest platform risk scores. Only the top
 * {@value #TOP} platforms get a series, so the platform label stays bounded however large the market.
 */
final class PlatformRiskGauges implements AutoCloseable {
    static final int TOP = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PlatformRiskGauges.class);

    private final KafkaStreams streams;
    private final MultiGauge openFindings;
    private final MultiGauge riskScores;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fundwatch-risk-gauges");
        t.setDaemon(true);
        return t;
    });

    PlatformRiskGauges(KafkaStreams streams, MeterRegistry meters) {
        this.streams = streams;
        this.openFindings = MultiGauge.builder("fundwatch.open.findings")
                .description("Open findings per detector on this instance's platforms").register(meters);
        this.riskScores = MultiGauge.builder("fundwatch.platform.risk.score")
                .description("Risk score (0..1) of this instance's highest-risk platforms").register(meters);
    }

    void start() {
        timer.scheduleWithFixedDelay(this::refresh, 5, 15, TimeUnit.SECONDS);
    }

    void refresh() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return;
        }
        try {
            ReadOnlyKeyValueStore<String, RiskProfile> store = streams.store(StoreQueryParameters.fromNameAndType(
                    PlatformViewProcessor.PROFILE_STORE, QueryableStoreTypes.<String, RiskProfile>keyValueStore()));
            Map<String, Integer> byDetector = new TreeMap<>();
            List<RiskProfile> profiles = new ArrayList<>();
            try (KeyValueIterator<String, RiskProfile> it = store.all()) {
                it.forEachRemaining(kv -> {
                    kv.value.openByDetector().forEach((d, n) -> byDetector.merge(d, n, Integer::sum));
                    if (kv.value.openFindings() > 0) {
                        profiles.add(kv.value);
                    }
                });
            }
            openFindings.register(byDetector.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("detector", e.getKey()), e.getValue()))
                    .toList(), true);
            riskScores.register(profiles.stream()
                    .sorted(Comparator.comparingDouble(RiskProfile::score).reversed()
                            .thenComparing(RiskProfile::platformId))
                    .limit(TOP)
                    .map(p -> MultiGauge.Row.of(Tags.of("platform", p.platformId(),
                            "region", p.regionCode() == null ? "unknown" : p.regionCode()), p.score()))
                    .toList(), true);
        } catch (RuntimeException e) {
            // A rebalance can make the store briefly unqueryable; the next refresh catches up.
            LOG.debug("risk gauges not refreshed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
