package fundwatch.topology.registry;

import fundwatch.avro.BenchmarkRate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Loads one validated registry topic into its global store, as a global table would, and then tells the stream
 * threads' in-memory views that the store changed ({@link RegistryVersions}). A tombstone deletes the entry.
 */
public final class RegistryStoreWriter<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private TimestampedKeyValueStore<String, V> store;
    private RegistryVersions versions;

    public RegistryStoreWriter(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
        this.versions = RegistryVersions.from(context.appConfigs());
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.value() == null) {
            store.delete(record.key());
            if (storeName.equals(RegistryView.RATES_STORE)) {
                history(record.key()).forEach(store::delete);
            }
        } else {
            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
            if (record.value() instanceof BenchmarkRate rate) {
                store.put(RatesView.historyKey(rate), ValueAndTimestamp.make(record.value(), record.timestamp()));
                List<String> keys = history(rate.getRateId());
                // Oldest first: beyond the bound, the earliest dates go (no event is judged that far back).
                keys.subList(0, Math.max(0, keys.size() - RatesView.MAX_HISTORY)).forEach(store::delete);
            }
        }
        if (versions != null) {
            versions.bump(storeName);
        }
    }

    private List<String> history(String rateId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<V>> it = store.prefixScan(RatesView.historyPrefix(rateId),
                new StringSerializer())) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        return keys;
    }
}
