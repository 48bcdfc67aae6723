package fundwatch.topology.paymentinstitution;

import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What D3d and D3e share: per institution id per (Beijing) day, the count, sum and largest payments of those it
 * counts, judged on every such payment. One store entry per institution-day, reached by key; days past their grace
 * are deleted by a range over the day-ordered keys ({@link DayKeys}), which touches only what is due.
 */
public abstract class InstitutionDayDetector implements Processor<String, InstitutionPayment, String, Finding> {
    private final String detector;
    private final String storeName;
    private final DayWindows windows;
    private final String topic;
    protected final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, WindowState> store;
    protected RuleBook rules;
    protected RegistryView registry;

    protected InstitutionDayDetector(String detector, String storeName, DayWindows windows, String topic,
            FundwatchMetrics metrics) {
        this.detector = detector;
        this.storeName = storeName;
        this.windows = windows;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        context.schedule(Duration.ofMinutes(30), PunctuationType.STREAM_TIME, this::purge);
    }

    /** Whether this detector counts the payment, and in which bucket of its day (null: not counted). */
    protected abstract String bucket(InstitutionPayment p);

    /** The day's verdict, or null while it is below the rule's thresholds. */
    protected abstract Finding judge(String institutionId, WindowState day, EffectiveRule rule);

    @Override
    public void process(Record<String, InstitutionPayment> record) {
        InstitutionPayment p = record.value();
        String bucket = bucket(p);
        if (bucket == null) {
            return;
        }
        EffectiveRule rule = rules.rule(detector);
        long start = windows.windowStart(p.eventTime());
        long end = windows.windowEnd(start);
        if (context.currentStreamTimeMs() > end + rule.minutesAsMillis("graceMinutes")) {
            metrics.lateEvent(detector);
            return;
        }
        String key = DayKeys.key(start, p.institutionId());
        WindowState day = store.get(key);
        if (day == null) {
            day = WindowState.empty(p.institutionId(), start, end);
        }
        day = day.add(bucket, p.evidence(topic));
        store.put(key, day);
        if (!rule.enabled()) {
            return;
        }
        Finding f = judge(p.institutionId(), day, rule);
        if (f != null) {
            context.forward(new Record<>(p.institutionId(), f, p.eventTime()));
        }
    }

    private void purge(long streamTime) {
        long graceMs = rules.rule(detector).minutesAsMillis("graceMinutes");
        List<String> expired = new ArrayList<>();
        // A day can only be past its grace if it started before streamTime - grace.
        try (KeyValueIterator<String, WindowState> it = store.range(DayKeys.FIRST,
                DayKeys.after(streamTime - graceMs))) {
            while (it.hasNext()) {
                KeyValue<String, WindowState> kv = it.next();
                if (kv.value.windowEnd() + graceMs < streamTime) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
