package fundwatch.topology.paymentinstitution;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Platform;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.SourcePartition;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What D3d and D3e share: per institution id per (Beijing) day, the count, sum and largest payments of those it
 * counts, judged on every such payment. One store entry per institution-day, reached by key; days past their grace
 * are deleted by a range over the day-ordered keys ({@link DayKeys}), which touches only what is due.
 *
 * <p>Days are released (their verdicts go out) and purged on the clearing partitions' progress ({@link ClearingDays});
 * the payments come with the partitions' progress marks ({@link InstitutionPayment#progressMark}).
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
    private ClearingDays days;

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
        this.days = new ClearingDays(windows, ChannelProgress.ofClearing(context.appConfigs(), metrics, detector));
        // When to look is stream time's business; what goes is decided by the clearing partitions' progress.
        context.schedule(Duration.ofMinutes(30), PunctuationType.STREAM_TIME, t -> purge());
    }

    @Override
    public void close() {
        days.close();
    }

    /** Whether this detector counts the payment, and in which bucket of its day (null: not counted). */
    protected abstract String bucket(InstitutionPayment p);

    /** What was observed, beyond the count and amount the thresholds read, named as in DETECTION.md. */
    protected abstract Map<String, Double> observed(WindowState day, Platform registered);

    /** The finding's human sentence. */
    protected abstract String summary(String institutionId, Platform registered, long count, long total,
            long minCount, long minAmount);

    @Override
    public void process(Record<String, InstitutionPayment> record) {
        InstitutionPayment p = record.value();
        days.see(SourcePartition.of(record.headers()), p.eventTime());
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
        if (days.isLate(end, rule.minutesAsMillis("graceMinutes"))) {
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
        if (!rule.enabled() || !days.isReleased(start)) {
            return;
        }
        Finding f = judge(day, rule);
        if (f != null) {
            context.forward(new Record<>(p.institutionId(), f, p.eventTime()));
        }
    }

    /**
     * The day's verdict: a finding at ≥ {@code minDailyPayments} payments or ≥ {@code minDailyAmountMinor}, CRITICAL
     * from {@code criticalDailyAmountMinor}; null below the thresholds. Subject the institution id; platform and
     * region only when the id is registered.
     */
    Finding judge(WindowState day, EffectiveRule rule) {
        long count = day.totalCount();
        long total = day.totalSum();
        long minCount = rule.longParam("minDailyPayments");
        long minAmount = rule.longParam("minDailyAmountMinor");
        if (count < minCount && total < minAmount) {
            return null;
        }
        long critical = rule.longParam("criticalDailyAmountMinor");
        Severity severity = total >= critical ? Severity.CRITICAL : Severity.HIGH;
        double score = Math.min(1.0, 0.6 + 0.4 * total / (double) critical);
        String institutionId = day.subjectId();
        Platform registered = registry.platform(institutionId);
        return new Finding(detector, institutionId, SubjectType.PLATFORM, registered == null ? null : institutionId,
                registered == null ? null : registered.getRegionCode(), day.windowStart(), day.windowEnd(),
                day.lastEventTime(), severity, score, observed(day, registered),
                metrics("minDailyPayments", minCount, "minDailyAmountMinor", minAmount,
                        "criticalDailyAmountMinor", critical),
                day.evidence(), rule.version(), summary(institutionId, registered, count, total, minCount, minAmount),
                total, rule.param("reemitMinGrowth"));
    }

    /** Once the clearing progress enters a new day: the verdicts of the days it has now reached, in day order. */
    private void release() {
        if (!days.hasNewDay()) {
            return;
        }
        EffectiveRule rule = rules.rule(detector);
        for (Finding f : days.release(store, rule.enabled() ? day -> judge(day, rule) : null)) {
            context.forward(new Record<>(f.subjectId(), f, Math.max(f.lastEventTime(), f.windowStart())));
        }
    }

    private void purge() {
        long graceMs = rules.rule(detector).minutesAsMillis("graceMinutes");
        days.pastGrace(store, graceMs, WindowState::windowEnd).forEach(kv -> store.delete(kv.key));
    }
}
