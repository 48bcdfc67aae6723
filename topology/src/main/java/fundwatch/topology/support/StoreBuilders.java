package fundwatch.topology.support;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Persistent, changelogged stores with String keys: what every detector keeps its state in. */
public final class StoreBuilders {
    private StoreBuilders() {
    }

    /**
     * Cached: a detector's state for a busy platform or account is read and rewritten on every event, and the cache
     * turns those rewrites into one RocksDB put and one changelog record per key per commit (statestore.cache.max.bytes).
     * No processor here relies on a store's flush forwarding, so the cache changes cost, not results.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingEnabled();
    }
}
