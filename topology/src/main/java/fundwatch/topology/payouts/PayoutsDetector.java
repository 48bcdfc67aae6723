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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
 * stream time has passed its end by the grace period — the 30-day window ending with that day (the sum of its
 * buckets) is evaluated, for every day that had movements. A day is evaluated once, after it can no longer
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
    private final String topic;
    private final ZoneId zone;
    private final EpochDays epochDays;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, PlatformPayouts> store;
    private RuleBook rules;
    private RegistryView registry;

    public PayoutsDetector(String storeName, String topic, ZoneId zone, FundwatchMetrics metrics) {
        this.storeName = storeName;
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
        context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::closeDays);
    }

    @Override
    public void process(Record<String, CustodyTransaction> record) {
        CustodyTransaction tx = record.value();
        Set<PayoutKind> kinds = PayoutKind.of(tx);
        if (kinds.isEmpty()) {
            return;
        }
        long t = tx.getEventTime().toEpochMilli();
        long day = dayOf(t);
        if (day <= lastClosedDay(context.currentStreamTimeMs())) {
            // Its day has been judged already; counting it now would make the verdict depend on arrival order.
            metrics.lateEvent(NEW_MONEY);
            return;
        }
        PlatformPayouts state = store.get(tx.getPlatformId());
        if (state == null) {
            state = new PlatformPayouts();
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
        store.put(tx.getPlatformId(), state);
    }

    /** Evaluates, for every platform of this task, the windows ending with each day that has just closed. */
    private void closeDays(long streamTime) {
        long closed = lastClosedDay(streamTime);
        EffectiveRule subsidy = rules.rule(SUBSIDY);
        EffectiveRule newMoney = rules.rule(NEW_MONEY);
        long keepDays = Math.max(subsidy.longParam("windowDays"), newMoney.longParam("windowDays"));
        List<KeyValue<String, PlatformPayouts>> changed = new ArrayList<>();
        try (KeyValueIterator<String, PlatformPayouts> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, PlatformPayouts> kv = it.next();
                PlatformPayouts s = kv.value;
                List<Long> due = new ArrayList<>(s.days.headMap(closed, true).keySet());
                due.removeIf(d -> s.days.get(d).evaluated);
                if (due.isEmpty()) {
                    continue;
                }
                for (long day : due) {
                    evaluate(kv.key, s, day, subsidy, newMoney);
                    s.days.get(day).evaluated = true;
                }
                // Buckets no later window can reach are dropped.
                s.days.headMap(closed - keepDays + 2, false).clear();
                changed.add(KeyValue.pair(kv.key, s));
            }
        }
        for (KeyValue<String, PlatformPayouts> kv : changed) {
            if (kv.value.days.isEmpty()) {
                store.delete(kv.key);
            } else {
                store.put(kv.key, kv.value);
            }
        }
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

    private long lastClosedDay(long streamTime) {
        long grace = Math.max(rules.rule(NEW_MONEY).minutesAsMillis("graceMinutes"),
                rules.rule(SUBSIDY).minutesAsMillis("graceMinutes"));
        return dayOf(streamTime - grace) - 1;
    }

    private long dayOf(long t) {
        return epochDays.applyAsLong(t);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
