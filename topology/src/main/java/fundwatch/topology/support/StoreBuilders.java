package fundwatch.topology.support;

import fundwatch.topology.StateStoreKind;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Changelogged stores with String keys: what every detector keeps its state in. RocksDB unless the topology is
 * being built for an in-memory replay ({@link #building}), so that no detector has to pass the choice along.
 */
public final class StoreBuilders {
    private static final ThreadLocal<StateStoreKind> KIND = ThreadLocal.withInitial(() -> StateStoreKind.PERSISTENT);

    private StoreBuilders() {
    }

    /** Runs {@code build} on this thread with every store made here of {@code kind}. */
    public static <T> T building(StateStoreKind kind, Supplier<T> build) {
        StateStoreKind previous = KIND.get();
        KIND.set(kind);
        try {
            return build.get();
        } finally {
            KIND.set(previous);
        }
    }

    /**
     * Cached: a detector's state for a busy platform or account is read and rewritten on every event, and the cache
     * turns those rewrites into one RocksDB put and one changelog record per key per commit (statestore.cache.max.bytes).
     * No processor here relies on a store's flush forwarding, so the cache changes cost, not results.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> valueSerde) {
        return changelogged(Stores.keyValueStoreBuilder(keyValueSupplier(name), Serdes.String(), valueSerde)
                .withCachingEnabled());
    }

    /**
     * A store's changelog, unless its state is in memory: that state is thrown away with the replay, so nothing would
     * restore from it (and a TopologyTestDriver matches each changelog record against every source topic's pattern).
     */
    public static <S extends StateStore> StoreBuilder<S> changelogged(
            StoreBuilder<S> builder) {
        return KIND.get() == StateStoreKind.IN_MEMORY ? builder.withLoggingDisabled() : builder;
    }

    public static KeyValueBytesStoreSupplier keyValueSupplier(String name) {
        return KIND.get() == StateStoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
    }

    /** For a timestamped store (the registry's global stores); in memory the timestamps are kept in the value. */
    public static KeyValueBytesStoreSupplier timestampedKeyValueSupplier(String name) {
        return KIND.get() == StateStoreKind.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentTimestampedKeyValueStore(name);
    }

    public static WindowBytesStoreSupplier windowSupplier(String name, Duration retention, Duration windowSize) {
        return KIND.get() == StateStoreKind.IN_MEMORY
                ? Stores.inMemoryWindowStore(name, retention, windowSize, false)
                : Stores.persistentWindowStore(name, retention, windowSize, false);
    }
}
