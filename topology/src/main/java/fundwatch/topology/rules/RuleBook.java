package fundwatch.topology.rules;

import fundwatch.avro.DetectorRule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads the detector rules from the global store loaded from fundwatch.rules, so a regulator's change takes
 * effect on the next record without a restart. Unknown parameter names in a rule are ignored (and reported by
 * the `rules` command before publishing), so a typo cannot remove a threshold.
 */
public final class RuleBook {
    public static final String STORE = "registry-rules-store";

    private final KeyValueStore<String, ValueAndTimestamp<DetectorRule>> store;

    private RuleBook(KeyValueStore<String, ValueAndTimestamp<DetectorRule>> store) {
        this.store = store;
    }

    public static RuleBook from(ProcessingContext context) {
        return new RuleBook(context.getStateStore(STORE));
    }

    public EffectiveRule rule(String detector) {
        Map<String, Double> defaults = DetectorDefaults.of(detector);
        ValueAndTimestamp<DetectorRule> stored = store.get(detector);
        if (stored == null || stored.value() == null) {
            return new EffectiveRule(detector, true, DetectorDefaults.DEFAULT_VERSION, defaults);
        }
        DetectorRule rule = stored.value();
        Map<String, Double> params = new LinkedHashMap<>(defaults);
        rule.getParams().forEach((k, v) -> {
            if (params.containsKey(k)) {
                params.put(k, v);
            }
        });
        return new EffectiveRule(detector, rule.getEnabled(), rule.getVersion(), Map.copyOf(params));
    }
}
