package fundwatch.topology.registry;

import fundwatch.avro.BenchmarkRate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The benchmark rates from reference.rates, by the date they take effect: a rate published ahead of its
 * {@code effectiveFrom} applies from that instant, not from its publication, and the rate it replaces still
 * applies to events before it. The rates store keeps, beside each rate's latest record, one entry per
 * effectiveFrom ({@link #historyKey}); a new rate takes effect on the next record without a restart.
 */
public final class RatesView {
    public static final String LPR_1Y = "LPR_1Y";
    /** Entries kept per rate: LPR_1Y changes at most monthly, so this is years of history. */
    static final int MAX_HISTORY = 64;
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, ValueAndTimestamp<BenchmarkRate>> rates;
    private final RegistryView.Cache cache;

    private RatesView(KeyValueStore<String, ValueAndTimestamp<BenchmarkRate>> rates, RegistryVersions versions) {
        this.rates = rates;
        this.cache = new RegistryView.Cache(versions, RegistryView.RATES_STORE);
    }

    public static RatesView from(ProcessingContext context) {
        return new RatesView(context.getStateStore(RegistryView.RATES_STORE),
                RegistryVersions.from(context.appConfigs()));
    }

    /** The store key of one published value: the rate id, then its effectiveFrom, so they sort by date. */
    public static String historyKey(BenchmarkRate r) {
        return historyPrefix(r.getRateId()) + String.format("%013d", Math.max(0, r.getEffectiveFrom().toEpochMilli()));
    }

    static String historyPrefix(String rateId) {
        return rateId + SEP;
    }

    /**
     * The rate in force at {@code atMillis} in basis points: the latest value whose effectiveFrom is not after it,
     * or {@code fallbackBps} while none is.
     */
    public int bps(String rateId, long atMillis, int fallbackBps) {
        TreeMap<Long, Integer> history = cache.get(rateId, this::load);
        if (history == null) {
            return fallbackBps;
        }
        Map.Entry<Long, Integer> e = history.floorEntry(atMillis);
        return e == null ? fallbackBps : e.getValue();
    }

    private TreeMap<Long, Integer> load(String rateId) {
        TreeMap<Long, Integer> history = new TreeMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<BenchmarkRate>> it = rates.prefixScan(historyPrefix(rateId),
                new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<BenchmarkRate>> kv = it.next();
                if (kv.value != null && kv.value.value() != null) {
                    history.put(kv.value.value().getEffectiveFrom().toEpochMilli(), kv.value.value().getValueBps());
                }
            }
        }
        // The latest record under its plain key is one of the dates too: it alone is there if the store was filled
        // without the history keys (state restored by a build that did not write them).
        ValueAndTimestamp<BenchmarkRate> latest = rates.get(rateId);
        if (latest != null && latest.value() != null) {
            history.putIfAbsent(latest.value().getEffectiveFrom().toEpochMilli(), latest.value().getValueBps());
        }
        return history.isEmpty() ? null : history;
    }
}
