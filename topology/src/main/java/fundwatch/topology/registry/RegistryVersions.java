package fundwatch.topology.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A change counter per global store, shared by one KafkaStreams instance's global thread (which bumps it after each
 * write, {@link RegistryStoreWriter}) and its stream threads (which keep decoded registry entries and rules in memory
 * while the counter has not moved). Detectors look an account or a rule up several times per event; decoding it from
 * the global store each time was a visible share of the per-event cost.
 *
 * <p>Passed to the topology through the Streams configuration under {@link #CONFIG_KEY} (like the metrics), so it is
 * per instance, never static. Without it the views read the store on every call: correct, only slower.
 */
public final class RegistryVersions {
    public static final String CONFIG_KEY = "fundwatch.registry.versions";

    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();

    public long current(String store) {
        return versions.computeIfAbsent(store, s -> new AtomicLong()).get();
    }

    void bump(String store) {
        versions.computeIfAbsent(store, s -> new AtomicLong()).incrementAndGet();
    }

    /** @return the instance's counters, or null when the configuration carries none */
    public static RegistryVersions from(Map<String, Object> configs) {
        Object v = configs.get(CONFIG_KEY);
        return v instanceof RegistryVersions r ? r : null;
    }
}
