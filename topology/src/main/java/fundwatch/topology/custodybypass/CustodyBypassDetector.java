package fundwatch.topology.custodybypass;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.PartyType;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.SourcePartition;
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
 * D3a CUSTODY_BYPASS (DETECTION.md; checklist items 4 and 5): client money that reaches a P2P or crowdfunding
 * platform's general or related-party account directly — from anyone who is not the platform itself — or
 * leaves such an account for individuals, instead of going through the custody bank. Every such payment is
 * evidence; one finding per platform per (Beijing) day, severity by the day's amount.
 *
 * <p>A day is closed (a leg for it is late, its window may go) once every clearing partition has passed its end +
 * grace — the legs come with the partitions' progress marks ({@code PlatformLeg#progressMark}) — not once stream
 * time has: the platform task also reads custody and products, which a backlog replays days ahead of the clearing
 * feed, and closing on them dropped a day's bypass payments that the same feed read live counted.
 */
public final class CustodyBypassDetector implements Processor<String, PlatformLeg, String, Finding> {
    public static final String DETECTOR = DetectorDefaults.CUSTODY_BYPASS;
    static final String IN = "in";
    static final String OUT = "out";
    private static final Set<AccountPurpose> NON_CUSTODY = Set.of(AccountPurpose.PLATFORM_GENERAL,
            AccountPurpose.RELATED_PARTY);
    private static final Set<String> LENDING_KINDS = Set.of("P2P_LENDING", "EQUITY_CROWDFUNDING");

    private final String storeName;
    private final DayWindows windows;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, WindowState> store;
    private RuleBook rules;
    /** How far each clearing partition has come (legs and marks); in memory, rebuilt after a restart. */
    private ChannelProgress clearing;

    public CustodyBypassDetector(String storeName, DayWindows windows, FundwatchMetrics metrics) {
        this.storeName = storeName;
        this.windows = windows;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.rules = RuleBook.from(context);
        // Until every clearing partition has shown itself no day is purged: the gauge shows the wait.
        this.clearing = ChannelProgress.ofClearing(context.appConfigs(), metrics, DETECTOR);
        // When to look is stream time's business; what goes is decided by the clearing partitions' progress.
        context.schedule(Duration.ofMinutes(30), PunctuationType.STREAM_TIME, t -> purge(clearing.progress()));
    }

    @Override
    public void close() {
        clearing.close();
    }

    /** Whether a leg is money bypassing custody; pure, so the rule reads as DETECTION.md states it. */
    static boolean isBypass(PlatformLeg leg) {
        if (!NON_CUSTODY.contains(leg.purpose()) || !LENDING_KINDS.contains(leg.kind())
                || leg.counterpartyOfSamePlatform()) {
            return false;
        }
        return leg.direction() == PlatformLeg.Direction.IN || leg.counterpartyPartyType() == PartyType.INDIVIDUAL;
    }

    @Override
    public void process(Record<String, PlatformLeg> record) {
        PlatformLeg leg = record.value();
        clearing.see(SourcePartition.of(record.headers()), leg.eventTime());
        if (leg.isProgressMark() || !isBypass(leg)) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        long start = windows.windowStart(leg.eventTime());
        long end = windows.windowEnd(start);
        if (clearing.progress() > end + rule.minutesAsMillis("graceMinutes")) {
            metrics.lateEvent(DETECTOR);
            return;
        }
        String key = leg.platformId() + "|" + start;
        WindowState state = store.get(key);
        if (state == null) {
            state = WindowState.empty(leg.platformId(), start, end);
        }
        state = state.add(leg.direction() == PlatformLeg.Direction.IN ? IN : OUT,
                new EvidenceItem("clearing.payments", leg.paymentId(), leg.amountMinor(), leg.eventTime(),
                        leg.counterpartyId()));
        store.put(key, state);
        if (rule.enabled()) {
            context.forward(new Record<>(leg.platformId(), finding(leg, state, rule), leg.eventTime()));
        }
    }

    static Finding finding(PlatformLeg leg, WindowState s, EffectiveRule rule) {
        long total = s.totalSum();
        long critical = rule.longParam("criticalDailyAmountMinor");
        long high = rule.longParam("highDailyAmountMinor");
        Severity severity = total >= critical ? Severity.CRITICAL : total >= high ? Severity.HIGH : Severity.MEDIUM;
        double score = Math.min(1.0, 0.5 + 0.5 * total / (double) critical);
        String summary = String.format(Locale.ROOT, 
                "平台 %s: %d 笔资金绕过存管直接进出平台一般户/关联方账户 (合计 %s; 日累计 ≥ %s 为严重) / "
                        + "%d payments into or out of the platform's general or related-party accounts, "
                        + "bypassing custody (total %s; critical at %s a day)",
                leg.platformId(), s.totalCount(), Money.format(total), Money.format(critical),
                s.totalCount(), Money.format(total), Money.format(critical));
        return new Finding(DETECTOR, leg.platformId(), SubjectType.PLATFORM, leg.platformId(), leg.regionCode(),
                s.windowStart(), s.windowEnd(), s.lastEventTime(), severity, score,
                metrics("bypassAmountMinor", total, "bypassPayments", s.totalCount(),
                        "inflowAmountMinor", s.sum(IN), "inflowPayments", s.count(IN),
                        "outflowAmountMinor", s.sum(OUT), "outflowPayments", s.count(OUT)),
                metrics("highDailyAmountMinor", high, "criticalDailyAmountMinor", critical),
                s.evidence(), rule.version(), summary, total, rule.param("reemitMinGrowth"));
    }

    private void purge(long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
        long graceMs = rules.rule(DETECTOR).minutesAsMillis("graceMinutes");
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = store.all()) {
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
