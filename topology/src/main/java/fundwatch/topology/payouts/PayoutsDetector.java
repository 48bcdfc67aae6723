package fundwatch.topology.payouts;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Severity;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.EpochDays;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.LedgerProgress;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D5a YIELD_SUBSIDY and D5b NEW_MONEY_PAYS_OLD over the custody movements of each platform (see
 * {@link PayoutKind} for what counts as paid, repaid, deposited and subsidised).
 *
 * <p>Windows slide by day: each movement goes into its platform's Beijing-day bucket, and when a day closes —
 * the platform's own custody ledger has passed its end by the grace period ({@link LedgerProgress}: not stream
 * time, which clearing legs move too) — the 30-day window ending with that day (the sum of its buckets) is
 * evaluated, for every day that had movements. A day is evaluated once, after it can no longer
 * change: a movement for a closed day is late and dropped (counted). So the verdict is a function of the
 * movements, not of their arrival order within the grace period. A window covers whatever history fundwatch
 * has: a platform seen for three days is judged on three days, so a Ponzi shows from its first closed day.
 *
 * <p>A finding that keeps firing on consecutive days stays one alert: its window runs from the first day of
 * the window in which it first fired to one window length after that day (the time it may stay open), and
 * later firings inside it are revisions; severity only rises within it.
 */
public final class PayoutsDetector implements Processor<String, CustodyTransaction, String, Finding> {
    static final String SUBSIDY = DetectorDefaults.YIELD_SUBSIDY;
    static final String NEW_MONEY = DetectorDefaults.NEW_MONEY_PAYS_OLD;

    private final String storeName;
    private final String progressStoreName;
    private final String topic;
    private final ZoneId zone;
    private final EpochDays epochDays;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, PlatformPayouts> store;
    private RuleBook rules;
    private RegistryView registry;
    private LedgerProgress progress;
    private long quietClosedDay = Long.MIN_VALUE;

    public PayoutsDetector(String storeName, String progressStoreName, String topic, ZoneId zone,
            FundwatchMetrics metrics) {
        this.storeName = storeName;
        this.progressStoreName = progressStoreName;
        this.topic = topic;
        this.zone = zone;
        this.epochDays = EpochDays.of(zone);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        this.progress = new LedgerProgress(context.getStateStore(progressStoreName));
        context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::closeQuiet);
    }

    @Override
    public void process(Record<String, CustodyTransaction> record) {
        CustodyTransaction tx = record.value();
        long t = tx.getEventTime().toEpochMilli();
        String platformId = tx.getPlatformId();
        // Every movement of the platform's ledger is progress, whether or not it is a payout.
        long before = progress.platform(platformId);
        long after = progress.advance(platformId, before, t);
        Set<PayoutKind> kinds = PayoutKind.of(tx);
        if (kinds.isEmpty()) {
            if (before != Long.MIN_VALUE && dayOf(after - grace()) > dayOf(before - grace())) {
                // The ledger has passed the end of a day (plus grace): that day can be judged now.
                PlatformPayouts state = store.get(platformId);
                if (state != null) {
                    closeDue(platformId, state, after);
                }
            }
            return;
        }
        long day = dayOf(t);
        PlatformPayouts state = store.get(platformId);
        if (state == null) {
            state = new PlatformPayouts();
        }
        if (isFinal(day, before) || state.isEvaluated(day)) {
            // Its day has been judged already; counting it now would make the verdict depend on arrival order.
            metrics.lateEvent(NEW_MONEY);
            closeDue(platformId, state, after);
            return;
        }
        PlatformPayouts.Day bucket = state.days.computeIfAbsent(day, d -> new PlatformPayouts.Day());
        long amount = tx.getAmountMinor();
        EvidenceItem item = new EvidenceItem(topic, tx.getEventId(), amount, t, tx.getCreditAccountId());
        for (PayoutKind kind : kinds) {
            switch (kind) {
                case INTEREST_TO_LENDER -> bucket.interestToLenders = Math.addExact(bucket.interestToLenders, amount);
                case PRINCIPAL_TO_LENDER -> bucket.principalToLenders = Math.addExact(bucket.principalToLenders, amount);
                case BORROWER_REPAID -> bucket.repaidByBorrowers = Math.addExact(bucket.repaidByBorrowers, amount);
                case NEW_DEPOSIT -> bucket.newDeposits = Math.addExact(bucket.newDeposits, amount);
                case COVERED_BY_RESERVE -> bucket.coveredByReserve = Math.addExact(bucket.coveredByReserve, amount);
                case LENDER_MONEY_TO_RESERVE ->
                        bucket.lenderMoneyToReserve = Math.addExact(bucket.lenderMoneyToReserve, amount);
                case SUBSIDY -> {
                    bucket.subsidies = Math.addExact(bucket.subsidies, amount);
                    bucket.subsidy = PlatformPayouts.keepLargest(bucket.subsidy, item);
                }
                default -> throw new IllegalStateException(kind.name());
            }
        }
        boolean paid = kinds.contains(PayoutKind.INTEREST_TO_LENDER) || kinds.contains(PayoutKind.PRINCIPAL_TO_LENDER);
        if (paid && !kinds.contains(PayoutKind.BORROWER_REPAID)) {
            bucket.unfunded = PlatformPayouts.keepLargest(bucket.unfunded, item);
        }
        bucket.lastEventTime = Math.max(bucket.lastEventTime, t);
        if (!closeDue(platformId, state, after)) {
            store.put(platformId, state);
        }
    }

    /**
     * Judges the platform's days that its ledger's progress has made final, drops buckets no later window can reach,
     * and stores what is left. @return whether it stored (or deleted) the state
     */
    private boolean closeDue(String platformId, PlatformPayouts s, long platformProgress) {
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, PlatformPayouts.Day> e : s.days.entrySet()) {
            if (!isFinal(e.getKey(), platformProgress)) {
                break;
            }
            if (!e.getValue().evaluated) {
                due.add(e.getKey());
            }
        }
        if (due.isEmpty()) {
            return false;
        }
        EffectiveRule subsidy = rules.rule(SUBSIDY);
        EffectiveRule newMoney = rules.rule(NEW_MONEY);
        for (long day : due) {
            evaluate(platformId, s, day, subsidy, newMoney);
            s.days.get(day).evaluated = true;
        }
        long keepDays = Math.max(subsidy.longParam("windowDays"), newMoney.longParam("windowDays"));
        long closed = due.get(due.size() - 1);
        s.evaluatedThrough = Math.max(s.evaluatedThrough, closed);
        s.days.headMap(closed - keepDays + 2, false).clear();
        if (s.days.isEmpty()) {
            store.delete(platformId);
            progress.forget(platformId);
        } else {
            store.put(platformId, s);
        }
        return true;
    }

    /**
     * Platforms whose ledgers went quiet: once the task's custody input is {@code maxLedgerDelayMinutes} past a day,
     * it is final for all of them. Scans the platforms only when that horizon reaches a new day.
     */
    private void closeQuiet(long streamTime) {
        long horizonDay = dayOf(progress.quietHorizon(grace(), maxLedgerDelay())) - 1;
        if (horizonDay <= quietClosedDay) {
            return;
        }
        quietClosedDay = horizonDay;
        List<KeyValue<String, PlatformPayouts>> all = new ArrayList<>();
        try (KeyValueIterator<String, PlatformPayouts> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, PlatformPayouts> kv : all) {
            closeDue(kv.key, kv.value, progress.platform(kv.key));
        }
    }

    private boolean isFinal(long day, long platformProgress) {
        return progress.isFinal(startOfDay(day + 1), platformProgress, grace(), maxLedgerDelay());
    }

    private long grace() {
        return Math.max(rules.rule(NEW_MONEY).minutesAsMillis("graceMinutes"),
                rules.rule(SUBSIDY).minutesAsMillis("graceMinutes"));
    }

    private long maxLedgerDelay() {
        return Math.max(rules.rule(NEW_MONEY).minutesAsMillis("maxLedgerDelayMinutes"),
                rules.rule(SUBSIDY).minutesAsMillis("maxLedgerDelayMinutes"));
    }

    private void evaluate(String platformId, PlatformPayouts s, long day, EffectiveRule subsidyRule,
            EffectiveRule newMoneyRule) {
        String region = registry.regionOf(platformId);
        forward(platformId, s, day, subsidyRule, (totals, window) ->
                YieldSubsidyCheck.finding(platformId, region, totals, window, subsidyRule));
        forward(platformId, s, day, newMoneyRule, (totals, window) ->
                NewMoneyPaysOldCheck.finding(platformId, region, totals, window, newMoneyRule));
    }

    interface Check {
        /** The finding for these totals in this alert window, or null when within the limits. */
        Finding apply(PlatformPayouts.Totals totals, long[] window);
    }

    private void forward(String platformId, PlatformPayouts s, long day, EffectiveRule rule, Check check) {
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        PlatformPayouts.Totals totals = s.totals(day - windowDays + 1, day);
        long[] open = s.episodes.get(rule.detector());
        long dayEnd = startOfDay(day + 1);
        long[] window = open != null && dayEnd <= open[1] ? open
                : new long[] {startOfDay(totals.firstDay), startOfDay(day + 1 + windowDays), -1};
        Finding f = check.apply(totals, window);
        if (f == null) {
            return;
        }
        s.episodes.put(rule.detector(), window);
        if (rule.enabled()) {
            context.forward(new Record<>(platformId, f, f.lastEventTime()));
        }
    }

    /** Within one episode severity only rises: a share wobbling around a limit is not news each day. */
    static Severity atLeast(Severity severity, long[] window) {
        Severity s = window[2] >= 0 && window[2] > severity.ordinal() ? Severity.values()[(int) window[2]] : severity;
        window[2] = s.ordinal();
        return s;
    }

    private long dayOf(long t) {
        return epochDays.applyAsLong(t);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
