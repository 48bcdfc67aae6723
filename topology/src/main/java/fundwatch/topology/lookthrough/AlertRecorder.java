package fundwatch.topology.lookthrough;

import fundwatch.avro.FundFlowAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest revision of each D8 alert by alertId, for {@code GET /alerts/{id}/trace}; passes every alert on.
 * D8 alerts are few (each is a scheme), so the daily purge of alerts a year past their window reads the store whole.
 */
final class AlertRecorder implements FixedKeyProcessor<String, FundFlowAlert, FundFlowAlert> {
    static final Duration KEEP = Duration.ofDays(365);
    private final String storeName;
    private FixedKeyProcessorContext<String, FundFlowAlert> context;
    private KeyValueStore<String, FundFlowAlert> store;

    AlertRecorder(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, FundFlowAlert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(Duration.ofDays(1), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(FixedKeyRecord<String, FundFlowAlert> record) {
        store.put(record.value().getAlertId(), record.value());
        context.forward(record);
    }

    private void purge(long streamTime) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, FundFlowAlert> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getWindowEnd().toEpochMilli() + KEEP.toMillis() < streamTime) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(store::delete);
    }
}
