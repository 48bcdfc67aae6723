package fundwatch.topology.fundpooling;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.avro.TxType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.LedgerProgress;
import fundwatch.topology.support.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D1a unmatched investment (FUND_POOLING): lender money that leaves a lender sub-account for anything but a
 * BORROWER sub-account of a named product — INVEST to a non-borrower, INVEST without a product, TRANSFER from a
 * lender to PLATFORM_OWN / RISK_RESERVE / GUARANTOR. Per platform and Beijing day: alert when the unmatched
 * amount and its share of all lender outflow reach their limits, or at once on one very large movement.
 * "All lender outflow" is every movement debited from a LENDER account, WITHDRAWAL included (DETECTION.md D1a: the
 * share is of all lender outflow; a platform whose lenders mostly withdraw diverts a smaller part of their money).
 */
public final class UnmatchedInvestmentDetector implements Processor<String, CustodyTransaction, String, Finding> {
    static final String DETECTOR = DetectorDefaults.FUND_POOLING;
    static final String UNMATCHED = "unmatched";
    static final String MATCHED = "matched";
    private static final Set<AccountRole> POOL_ROLES = Set.of(AccountRole.PLATFORM_OWN, AccountRole.RISK_RESERVE,
            AccountRole.GUARANTOR);

    private final String storeName;
    private final String progressStoreName;
    private final DayWindows days;
    private final String topic;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, WindowState> store;
    private RuleBook rules;
    private RegistryView registry;
    private LedgerProgress progress;

    public UnmatchedInvestmentDetector(String storeName, String progressStoreName, DayWindows days, String topic,
            FundwatchMetrics metrics) {
        this.storeName = storeName;
        this.progressStoreName = progressStoreName;
        this.days = days;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        this.progress = new LedgerProgress(context.getStateStore(progressStoreName));
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::purge);
    }

    static boolean isLenderOutflow(CustodyTransaction tx) {
        return tx.getDebitRole() == AccountRole.LENDER;
    }

    static boolean isUnmatched(CustodyTransaction tx) {
        if (tx.getDebitRole() != AccountRole.LENDER) {
            return false;
        }
        if (tx.getType() == TxType.INVEST) {
            return tx.getCreditRole() != AccountRole.BORROWER || tx.getProductId() == null;
        }
        return tx.getType() == TxType.TRANSFER && POOL_ROLES.contains(tx.getCreditRole());
    }

    @Override
    public void process(Record<String, CustodyTransaction> record) {
        CustodyTransaction tx = record.value();
        long t = tx.getEventTime().toEpochMilli();
        // Lateness follows the platform's own ledger (LedgerProgress), not stream time, which other inputs move.
        long before = progress.platform(tx.getPlatformId());
        progress.advance(tx.getPlatformId(), before, t);
        if (!isLenderOutflow(tx)) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        long start = days.windowStart(t);
        long end = days.windowEnd(start);
        if (progress.isFinal(end, before, rule.minutesAsMillis("graceMinutes"),
                rule.minutesAsMillis("maxLedgerDelayMinutes"))) {
            metrics.lateEvent(DETECTOR);
            return;
        }
        String key = tx.getPlatformId() + "|" + start;
        WindowState s = store.get(key);
        if (s == null) {
            s = WindowState.empty(tx.getPlatformId(), start, end);
        }
        boolean unmatched = isUnmatched(tx);
        EvidenceItem item = new EvidenceItem(topic, tx.getEventId(), tx.getAmountMinor(), t,
                tx.getCreditAccountId());
        if (unmatched) {
            s = s.add(UNMATCHED, item);
        } else {
            // Matched outflow only counts toward the share; it is not evidence of pooling.
            s = new WindowState(s.subjectId(), s.windowStart(), s.windowEnd(), Math.max(s.lastEventTime(), t),
                    plus(s.sums(), tx.getAmountMinor()), plus(s.counts(), 1), s.evidence());
        }
        store.put(key, s);
        if (unmatched && rule.enabled()) {
            Finding f = finding(tx.getPlatformId(), registry.regionOf(tx.getPlatformId()), s, rule);
            if (f != null) {
                context.forward(new Record<>(tx.getPlatformId(), f, t));
            }
        }
    }

    private static java.util.Map<String, Long> plus(java.util.Map<String, Long> m, long v) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>(m);
        out.merge(MATCHED, v, Math::addExact);
        return out;
    }

    static Finding finding(String platformId, String region, WindowState s, EffectiveRule rule) {
        long unmatched = s.sum(UNMATCHED);
        long all = unmatched + s.sum(MATCHED);
        double share = all == 0 ? 0 : unmatched / (double) all;
        long largest = s.evidence().isEmpty() ? 0 : s.evidence().get(0).amountMinor();
        long minAmount = rule.longParam("unmatchedMinAmountMinor");
        double minShare = rule.param("unmatchedMinShare");
        long single = rule.longParam("unmatchedSingleMovementMinor");
        boolean large = largest >= single;
        if (!large && (unmatched < minAmount || share < minShare)) {
            return null;
        }
        Severity severity = large || unmatched >= single ? Severity.CRITICAL : Severity.HIGH;
        double score = Math.min(1.0, 0.6 + 0.4 * Math.max(share, unmatched / (double) Math.max(1, single)));
        String summary = String.format(Locale.ROOT,
                "平台 %s: 出借人资金 %s (占出借人流出 %.0f%%, 阈值 %s 且 %.0f%%) 未投向具体借款项目, 单笔最大 %s: 资金池 / "
                        + "platform %s: %s of lender money (%.0f%% of lender outflow; limits %s and %.0f%%) went to "
                        + "no borrower of a named product, largest single movement %s: fund pooling",
                platformId, Money.format(unmatched), share * 100, Money.format(minAmount), minShare * 100,
                Money.format(largest), platformId, Money.format(unmatched), share * 100, Money.format(minAmount),
                minShare * 100, Money.format(largest));
        return new Finding(DETECTOR, platformId, SubjectType.PLATFORM, platformId, region, s.windowStart(),
                s.windowEnd(), s.lastEventTime(), severity, score,
                metrics("unmatchedAmountMinor", unmatched, "unmatchedShare", share, "lenderOutflowMinor", all,
                        "largestUnmatchedMinor", largest, "unmatchedCount", s.count(UNMATCHED)),
                metrics("unmatchedMinAmountMinor", minAmount, "unmatchedMinShare", minShare,
                        "unmatchedSingleMovementMinor", single),
                s.evidence(), rule.version(), summary, unmatched, rule.param("reemitMinGrowth"));
    }

    private void purge(long streamTime) {
        long keep = Duration.ofDays(2).toMillis();
        long delay = rules.rule(DETECTOR).minutesAsMillis("maxLedgerDelayMinutes");
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, WindowState> kv = it.next();
                if (progress.isFinal(kv.value.windowEnd(), progress.platform(kv.value.subjectId()), keep, delay)) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
