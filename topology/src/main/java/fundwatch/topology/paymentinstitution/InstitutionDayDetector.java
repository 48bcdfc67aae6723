package fundwatch.topology.paymentinstitution;

import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.SourcePartition;
import fundwatch.topology.unreconciled.ReconciliationProcessor;
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
 *
 * <p>A day is past its grace (a payment for it is late, its entry may go) once every clearing partition has passed
 * its end + grace — the payments come with the partitions' progress marks ({@link InstitutionPayment#progressMark})
 * — not once stream time has, which a backlog runs ahead with whichever input it delivers first.
 *
 * <p>A day's verdict is sent only once every clearing partition has reached the day ({@link #released}): a backlog
 * interleaves the partitions, so one partition's next day could otherwise be judged before another partition's
 * payments of the day before, and the alert's episode would open on the later day. When the clearing progress enters
 * a new day, the days it has reached are judged in day order (a range over the day-ordered keys, once per day).
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
    private ChannelProgress clearing;
    /** Days starting at or before this are released: their verdicts go out. In memory; after a restart, re-judged. */
    private long released = Long.MIN_VALUE;

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
        this.clearing = new ChannelProgress(
                ChannelProgress.expected(context.appConfigs(), ReconciliationProcessor.CLEARING_CHANNELS_CONFIG));
        // When to look is stream time's business; what goes is decided by the clearing partitions' progress.
        context.schedule(Duration.ofMinutes(30), PunctuationType.STREAM_TIME, t -> purge(clearing.progress()));
    }

    /** Whether this detector counts the payment, and in which bucket of its day (null: not counted). */
    protected abstract String bucket(InstitutionPayment p);

    /** The day's verdict, or null while it is below the rule's thresholds. */
    protected abstract Finding judge(String institutionId, WindowState day, EffectiveRule rule);

    @Override
    public void process(Record<String, InstitutionPayment> record) {
        InstitutionPayment p = record.value();
        clearing.see(SourcePartition.of(record.headers()), p.eventTime());
        release();
        if (p.isProgressMark()) {
            return;
        }
        String bucket = bucket(p);
        if (bucket == null) {
            return;
        }
        EffectiveRule rule = rules.rule(detector);
        long start = windows.windowStart(p.eventTime());
        long end = windows.windowEnd(start);
        if (clearing.progress() > end + rule.minutesAsMillis("graceMinutes")) {
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
        if (!rule.enabled() || start > released) {
            return;
        }
        Finding f = judge(p.institutionId(), day, rule);
        if (f != null) {
            context.forward(new Record<>(p.institutionId(), f, p.eventTime()));
        }
    }

    /** Once the clearing progress enters a new day: the verdicts of the days it has now reached, in day order. */
    private void release() {
        long progress = clearing.progress();
        if (progress == Long.MIN_VALUE) {
            return;
        }
        long reached = windows.windowStart(progress);
        if (reached <= released) {
            return;
        }
        String from = released == Long.MIN_VALUE ? DayKeys.FIRST : DayKeys.after(released);
        released = reached;
        EffectiveRule rule = rules.rule(detector);
        if (!rule.enabled()) {
            return;
        }
        List<Finding> due = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = store.range(from, DayKeys.after(reached))) {
            while (it.hasNext()) {
                WindowState day = it.next().value;
                Finding f = judge(day.subjectId(), day, rule);
                if (f != null) {
                    due.add(f);
                }
            }
        }
        for (Finding f : due) {
            context.forward(new Record<>(f.subjectId(), f, Math.max(f.lastEventTime(), f.windowStart())));
        }
    }

    private void purge(long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
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
