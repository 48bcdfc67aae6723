package fundwatch.topology.ingest;

import fundwatch.topology.support.FundwatchMetrics;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets only CNY movements through to the detectors. DETECTION.md's limits are yuan ("compare in minor units") and
 * the contract carries no exchange rate, so an amount in another currency can be neither summed with yuan nor
 * matched against a yuan twin (D3b): the detectors judge CNY only. A record in another currency is valid (it is no
 * dead letter); it is counted per topic and currency ({@code fundwatch.foreign.currency}) so an operator sees how
 * much of a feed is not judged, and goes no further.
 */
public final class CurrencyGate<V> implements FixedKeyProcessor<String, V, V> {
    public static final String JUDGED = "CNY";

    private final String topic;
    private final Function<V, String> currency;
    private final FundwatchMetrics metrics;
    private FixedKeyProcessorContext<String, V> context;

    public CurrencyGate(String topic, Function<V, String> currency, FundwatchMetrics metrics) {
        this.topic = topic;
        this.currency = currency;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        String c = currency.apply(record.value());
        if (JUDGED.equals(c)) {
            context.forward(record);
        } else {
            metrics.foreignCurrency(topic, c);
        }
    }
}
