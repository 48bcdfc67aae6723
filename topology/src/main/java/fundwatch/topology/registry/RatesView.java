package fundwatch.topology.registry;

import fundwatch.avro.BenchmarkRate;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** The live benchmark rates from reference.rates: a new LPR_1Y takes effect on the next record. */
public final class RatesView {
    public static final String LPR_1Y = "LPR_1Y";

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

    /** The rate's current value in basis points, or {@code fallbackBps} while none has been published. */
    public int bps(String rateId, int fallbackBps) {
        BenchmarkRate rate = cache.get(rateId, id -> {
            ValueAndTimestamp<BenchmarkRate> v = rates.get(id);
            return v == null ? null : v.value();
        });
        return rate == null ? fallbackBps : rate.getValueBps();
    }
}
