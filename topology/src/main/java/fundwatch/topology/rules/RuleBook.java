package fundwatch.topology.rules;

import fundwatch.avro.DetectorRule;
import fundwatch.topology.registry.RegistryVersions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads the detector rules from the global store loaded from fundwatch.rules, so a regulator's change takes
 * effect on the next record without a restart. A rule naming an unknown detector or parameter never reaches the
 * store (ingest dead-letters it, as the `rules` command refuses it); the filter below only keeps a rule written
 * by an older build, whose parameter has since been dropped, from adding a name no detector reads.
 */
public final class RuleBook {
    public static final String STORE = "registry-rules-store";

    private final KeyValueStore<String, ValueAndTimestamp<DetectorRule>> store;
    private final RegistryVersions versions;
    /** Rules as last decoded, valid while the rules store's version is {@link #cachedVersion}. */
    private final Map<String, EffectiveRule> cache = new HashMap<>();
    private long cachedVersion = -1;

    private RuleBook(KeyValueStore<String, ValueAndTimestamp<DetectorRule>> store, RegistryVersions versions) {
        this.store = store;
        this.versions = versions;
    }

    public static RuleBook from(ProcessingContext context) {
        return new RuleBook(context.getStateStore(STORE), RegistryVersions.from(context.appConfigs()));
    }

    /** The detector's rule in force: decoded once per change of fundwatch.rules, not per event. */
    public EffectiveRule rule(String detector) {
        if (versions == null) {
            return decode(detector);
        }
        long version = versions.current(STORE);
        if (version != cachedVersion) {
            cache.clear();
            cachedVersion = version;
        }
        EffectiveRule rule = cache.get(detector);
        if (rule == null) {
            rule = decode(detector);
            cache.put(detector, rule);
        }
        return rule;
    }

    private EffectiveRule decode(String detector) {
        Map<String, Double> defaults = DetectorDefaults.of(detector);
        ValueAndTimestamp<DetectorRule> stored = store.get(detector);
        if (stored == null || stored.value() == null) {
            return new EffectiveRule(detector, true, DetectorDefaults.DEFAULT_VERSION, defaults);
        }
        DetectorRule rule = stored.value();
        Map<String, Double> params = new LinkedHashMap<>(defaults);
        rule.getParams().forEach((k, v) -> {
            if (DetectorDefaults.acceptsParam(detector, k)) {
                params.put(k, v);
            }
        });
        return new EffectiveRule(detector, rule.getEnabled(), rule.getVersion(), Map.copyOf(params));
    }
}
