package fundwatch.topology.registry;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
        } else {
            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
        }
        if (versions != null) {
            versions.bump(storeName);
        }
    }
}
