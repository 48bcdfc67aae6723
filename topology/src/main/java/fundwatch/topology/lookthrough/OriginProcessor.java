package fundwatch.topology.lookthrough;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Severity;
import fundwatch.avro.TxType;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.EpochDays;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.LedgerProgress;
import fundwatch.topology.support.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The platform end of the look-through (D8), in the platform's task: where traced money starts, and D8a
 * SELF_FINANCING, where traced loan money that came back is weighed against the loans the platform disbursed.
 *
 * <p><b>Origins.</b> A clearing payment out of a platform's CUSTODY_MASTER, PLATFORM_GENERAL or own/reserve
 * sub-account to an account outside the platform starts traced money in its payee (one {@link TracedCredit}, hop 1).
 * A payment out of the custody master is a LOAN when the custody ledger has the LOAN_DISBURSEMENT behind it: same
 * platform, same outside account, same amount, within {@code loanMatchMinutes}. The two arrive in either order, so
 * the first waits for the other ({@link PendingOrigin}); a payment still unmatched when the platform's custody ledger
 * has passed its due time leaves as PLATFORM_FUNDS (a withdrawal, a refund) — judged by the ledger's progress, not
 * stream time, which in a backlog the clearing side can drive hours ahead of the ledger ({@link LedgerProgress}).
 * Waiting only delays the credit: the account side follows late credits the same as timely ones.
 *
 * <p><b>D8a.</b> Per platform and day: loans disbursed, and traced LOAN money that reached the platform's general or
 * related-party accounts or an account held by a party that holds any of its registered accounts (the account task
 * sends those arrivals here). Fires on the 30-day window ending today at ≥ ¥1,000,000, or ≥ 20 % of the window's
 * disbursed loans and ≥ ¥100,000.
 */
final class OriginProcessor implements Processor<String, PlatformSide, String, Object> {
    static final Set<AccountPurpose> ORIGIN_ACCOUNTS = Set.of(AccountPurpose.CUSTODY_MASTER,
            AccountPurpose.PLATFORM_GENERAL, AccountPurpose.CUSTODY_SUB_ACCOUNT);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final char SEP = TraceKeys.SEP;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** How long a LOAN_DISBURSEMENT waits for its clearing payment (in stream time) before it is dropped. */
    static final long DISBURSEMENT_WAIT = Duration.ofDays(30).toMillis();

    private final LookThroughTopology.Stores names;
    private final String clearingTopic;
    private final ZoneId zone;
    private final LongUnaryOperator dayOf;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PendingOrigin> pending;
    private KeyValueStore<String, String> pendingIndex;
    private KeyValueStore<String, PlatformTrace> platforms;
    private KeyValueStore<String, TracedCredit> selfPaths;
    private RuleBook rules;
    private RegistryView registry;
    private LedgerProgress ledger;
    private long purgedBucket = Long.MIN_VALUE;
    private long sweptAt = Long.MIN_VALUE / 2;

    OriginProcessor(LookThroughTopology.Stores names, String clearingTopic, ZoneId zone, FundwatchMetrics metrics) {
        this.names = names;
        this.clearingTopic = clearingTopic;
        this.zone = zone;
        this.dayOf = EpochDays.of(zone);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.pending = context.getStateStore(names.pending());
        this.pendingIndex = context.getStateStore(names.pendingIndex());
        this.platforms = context.getStateStore(names.platforms());
        this.selfPaths = context.getStateStore(names.selfPaths());
        this.ledger = new LedgerProgress(context.getStateStore(names.ledgerProgress()));
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::due);
    }

    @Override
    public void process(Record<String, PlatformSide> record) {
        PlatformSide in = record.value();
        if (in.leg() != null) {
            leg(in.leg());
        } else if (in.custody() != null) {
            custody(in.custody());
        } else if (in.arrival() != null) {
            arrival(in.arrival());
        }
    }

    private void leg(PlatformLeg leg) {
        if (leg.direction() != PlatformLeg.Direction.OUT || !ORIGIN_ACCOUNTS.contains(leg.purpose())
                || leg.counterpartyOfSamePlatform()) {
            return;
        }
        EffectiveRule trace = rules.rule(DetectorDefaults.LOOK_THROUGH);
        if (!trace.enabled()) {
            return;
        }
        if (leg.purpose() != AccountPurpose.CUSTODY_MASTER) {
            origin(leg.platformId(), leg.accountId(), leg.counterpartyAccountId(), leg.counterpartyPartyId(),
                    leg.paymentId(), leg.amountMinor(), leg.eventTime(), OriginKind.PLATFORM_FUNDS, null);
            return;
        }
        String prefix = matchPrefix(leg.platformId(), leg.counterpartyAccountId(), leg.amountMinor());
        KeyValue<String, PendingOrigin> other = firstPending(prefix, false, leg.eventTime(), trace);
        if (other != null) {
            forget(other);
            origin(leg.platformId(), leg.accountId(), leg.counterpartyAccountId(), leg.counterpartyPartyId(),
                    leg.paymentId(), leg.amountMinor(), leg.eventTime(), OriginKind.LOAN,
                    other.value.borrowerPartyId());
            return;
        }
        long due = leg.eventTime() + trace.minutesAsMillis("loanMatchMinutes");
        PendingOrigin p = new PendingOrigin(true, leg.paymentId(), leg.accountId(), leg.counterpartyAccountId(),
                leg.counterpartyPartyId(), leg.amountMinor(), leg.eventTime(), null, due);
        if (ledger.isFinal(due, ledger.platform(leg.platformId()), 0, trace.minutesAsMillis("maxLedgerDelayMinutes"))) {
            // The platform's ledger is already past the match window: no LOAN_DISBURSEMENT is coming for it.
            leaveAsPlatformFunds(leg.platformId(), p);
            return;
        }
        remember(prefix + leg.paymentId(), p);
    }

    /**
     * Every custody movement of the platform moves its ledger's progress (the custody master's payments wait for
     * that, not for stream time: in a backlog the clearing side can run hours ahead of the ledger); a
     * LOAN_DISBURSEMENT is also counted for D8a and matched with its payment.
     */
    private void custody(CustodyTransaction tx) {
        String platformId = tx.getPlatformId();
        long time = tx.getEventTime().toEpochMilli();
        long before = ledger.platform(platformId);
        long progress = ledger.advance(platformId, before, time);
        if (tx.getType() == TxType.LOAN_DISBURSEMENT) {
            disbursement(tx, platformId, time);
        }
        if (progress > before) {
            release(platformId, progress);
        }
    }

    private void disbursement(CustodyTransaction tx, String platformId, long time) {
        PlatformTrace state = platformState(platformId);
        state.day(dayOf.applyAsLong(time))[PlatformTrace.DISBURSED] += tx.getAmountMinor();
        platforms.put(platformId, state);
        EffectiveRule trace = rules.rule(DetectorDefaults.LOOK_THROUGH);
        if (!trace.enabled() || tx.getCreditAccountId() == null) {
            return;
        }
        String borrower = tx.getDebitPartyId() != null ? tx.getDebitPartyId() : tx.getCreditPartyId();
        String prefix = matchPrefix(platformId, tx.getCreditAccountId(), tx.getAmountMinor());
        KeyValue<String, PendingOrigin> payment = firstPending(prefix, true, time, trace);
        if (payment != null) {
            forget(payment);
            PendingOrigin p = payment.value;
            origin(platformId, p.payerAccountId(), p.payeeAccountId(), p.payeePartyId(), p.id(), p.amountMinor(),
                    p.eventTime(), OriginKind.LOAN, borrower);
            return;
        }
        // Waits for its payment long: in a backlog the clearing side can trail the ledger by days of event time
        // (dropped by stream time, which the ledger itself drives). One entry per loan, so the wait is cheap.
        long due = time + DISBURSEMENT_WAIT;
        remember(prefix + tx.getEventId(), new PendingOrigin(false, tx.getEventId(), null, tx.getCreditAccountId(),
                tx.getCreditPartyId(), tx.getAmountMinor(), time, borrower, due));
    }

    /** The first waiting half of the other kind within the match window, oldest key first. */
    private KeyValue<String, PendingOrigin> firstPending(String prefix, boolean payment, long time,
            EffectiveRule trace) {
        long window = trace.minutesAsMillis("loanMatchMinutes");
        try (KeyValueIterator<String, PendingOrigin> it = pending.range(prefix, TraceKeys.after(prefix))) {
            while (it.hasNext()) {
                KeyValue<String, PendingOrigin> kv = it.next();
                if (kv.value.payment() == payment && Math.abs(kv.value.eventTime() - time) <= window) {
                    return kv;
                }
            }
        }
        return null;
    }

    /**
     * Index entries: a waiting payment under {@code p|platform|due|key} (released when its platform's ledger passes
     * its due time), a waiting movement under {@code d|due|key} (dropped when stream time passes it).
     */
    private static String indexKey(String key, PendingOrigin p) {
        String platformId = key.substring(0, key.indexOf(SEP));
        return p.payment() ? "p|" + platformId + SEP + TraceKeys.pad(p.dueTime(), 13) + SEP + key
                : "d|" + TraceKeys.pad(p.dueTime(), 13) + SEP + key;
    }

    private void remember(String key, PendingOrigin p) {
        pending.put(key, p);
        pendingIndex.put(indexKey(key, p), key);
    }

    private void forget(KeyValue<String, PendingOrigin> kv) {
        pending.delete(kv.key);
        pendingIndex.delete(indexKey(kv.key, kv.value));
    }

    private static String matchPrefix(String platformId, String account, long amount) {
        return platformId + SEP + account + SEP + amount + SEP;
    }

    private void origin(String platformId, String payer, String payee, String payeeParty, String paymentId,
            long amount, long time, OriginKind kind, String borrower) {
        TracedCredit credit = new TracedCredit(payee, payeeParty, paymentId, 0, time, amount, platformId, kind,
                borrower, List.of(new Hop(paymentId, payer, payee, amount, amount, time)));
        metrics.registry().counter(LookThroughTopology.ORIGINS_METRIC, "kind", kind.name()).increment();
        context.forward(new Record<>(payee, credit, time));
    }

    private void leaveAsPlatformFunds(String platformId, PendingOrigin p) {
        origin(platformId, p.payerAccountId(), p.payeeAccountId(), p.payeePartyId(), p.id(), p.amountMinor(),
                p.eventTime(), OriginKind.PLATFORM_FUNDS, null);
    }

    /** The platform's ledger reached {@code progress}: its payments due by then found no loan and leave. */
    private void release(String platformId, long progress) {
        String from = "p|" + platformId + SEP;
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = pendingIndex.range(from,
                from + TraceKeys.pad(progress, 13) + '\uffff')) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> kv : due) {
            pendingIndex.delete(kv.key);
            PendingOrigin p = pending.get(kv.value);
            if (p != null) {
                pending.delete(kv.value);
                leaveAsPlatformFunds(platformId, p);
            }
        }
    }

    /**
     * Once per hour of stream time: payments of platforms whose ledger went quiet leave once the custody input as a
     * whole is {@code maxLedgerDelayMinutes} past them; movements whose payment never came are dropped; once a day,
     * D8a's paths older than two windows go (an alert's latest revision may be a window old, its evidence older).
     */
    private void due(long streamTime) {
        if (streamTime < sweptAt + HOUR) {
            return;
        }
        sweptAt = streamTime;
        EffectiveRule trace = rules.rule(DetectorDefaults.LOOK_THROUGH);
        long quiet = ledger.quietHorizon(0, trace.minutesAsMillis("maxLedgerDelayMinutes"));
        List<KeyValue<String, String>> old = new ArrayList<>();
        try (KeyValueIterator<String, String> it = pendingIndex.range("p|", "p|\uffff")) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                String[] parts = kv.key.substring(2).split(String.valueOf(SEP), 3);
                if (Long.parseLong(parts[1]) <= quiet) {
                    old.add(kv);
                }
            }
        }
        try (KeyValueIterator<String, String> it = pendingIndex.range("d|",
                "d|" + TraceKeys.pad(streamTime, 13) + '\uffff')) {
            it.forEachRemaining(old::add);
        }
        for (KeyValue<String, String> kv : old) {
            pendingIndex.delete(kv.key);
            PendingOrigin p = pending.get(kv.value);
            if (p == null) {
                continue;
            }
            pending.delete(kv.value);
            if (p.payment()) {
                leaveAsPlatformFunds(kv.value.substring(0, kv.value.indexOf(SEP)), p);
            }
        }
        long keepDays = 2 * rules.rule(DetectorDefaults.SELF_FINANCING).longParam("windowDays") + 2;
        long cut = TraceKeys.bucket(streamTime) - keepDays;
        if (cut > purgedBucket) {
            purgedBucket = cut;
            LookThroughTopology.deleteBefore(selfPaths, cut);
        }
    }

    private PlatformTrace platformState(String platformId) {
        PlatformTrace s = platforms.get(platformId);
        return s == null ? new PlatformTrace() : s;
    }

    /** Traced loan money of this platform reached one of its own: D8a. */
    private void arrival(TracedCredit c) {
        String platformId = c.originPlatformId();
        EffectiveRule rule = rules.rule(DetectorDefaults.SELF_FINANCING);
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        PlatformTrace s = platformState(platformId);
        long now = Math.max(s.lastEventTime, c.eventTime());
        long today = dayOf.applyAsLong(now);
        long from = today - windowDays + 1;
        long arrivalDay = dayOf.applyAsLong(c.eventTime());
        if (arrivalDay < from) {
            metrics.lateEvent(DetectorDefaults.SELF_FINANCING);
            return;
        }
        s.prune(from - 1);
        s.day(arrivalDay)[PlatformTrace.SELF] += c.amountMinor();
        s.evidence = Arrival.with(s.evidence, new Arrival(c.paymentId(), c.payeeAccountId(), c.amountMinor(),
                c.eventTime(), c.hop()));
        s.lastEventTime = now;
        selfPaths.put(TraceKeys.selfPathPrefix(platformId, c.eventTime(), c.paymentId()) + c.seq(), c);
        metrics.registry().summary(LookThroughTopology.PATH_HOPS_METRIC, "detector",
                DetectorDefaults.SELF_FINANCING).record(c.hop());
        Finding f = evaluate(platformId, s, now, today, from, windowDays, rule);
        platforms.put(platformId, s);
        if (f != null && rule.enabled()) {
            context.forward(new Record<>(platformId, f, f.lastEventTime()));
        }
    }

    private Finding evaluate(String platformId, PlatformTrace s, long now, long today, long from, long windowDays,
            EffectiveRule rule) {
        long self = s.sum(PlatformTrace.SELF, from, today);
        long disbursed = s.sum(PlatformTrace.DISBURSED, from, today);
        // The money was a disbursed loan (its LOAN_DISBURSEMENT matched); if the ledger's copy fell before the
        // window, the loans are at least what came back.
        double share = self / (double) Math.max(1, Math.max(disbursed, self));
        long minAmount = rule.longParam("minAmountMinor");
        double minShare = rule.param("minShare");
        long minShareAmount = rule.longParam("minShareAmountMinor");
        if (self < minAmount && (share < minShare || self < minShareAmount)) {
            return null;
        }
        long fromTime = startOfDay(from);
        List<Arrival> inWindow = new ArrayList<>();
        for (Arrival a : s.evidence) {
            if (a.eventTime() >= fromTime) {
                inWindow.add(a);
            }
        }
        if (s.episode == null || now >= s.episode[1]) {
            s.episode = new long[] {fromTime, startOfDay(today + 1 + windowDays), 0};
        }
        Severity severity = share >= rule.param("criticalShare") ? Severity.CRITICAL : Severity.HIGH;
        severity = Severity.values()[(int) Math.max(s.episode[2], severity.ordinal())];
        s.episode[2] = severity.ordinal();
        double medianHops = median(inWindow);
        List<EvidenceItem> evidence = new ArrayList<>();
        inWindow.forEach(a -> evidence.add(a.toEvidence(clearingTopic)));
        String summary = String.format(Locale.ROOT,
                "平台 %s: %d 日内借款资金 %s 经 %d 笔最终付款回流至平台自有或关联方账户, 占同期放款 %s 的 %.0f%% "
                        + "(阈值 %s, 或 %.0f%% 且 %s): 涉嫌自融 / platform %s: %s of its disbursed loans came back "
                        + "to its own or related parties' accounts within %d days in %d final payments (median %.1f "
                        + "hops), %.0f%% of the %s it disbursed (limit %s, or %.0f%% and %s): self-financing",
                platformId, windowDays, Money.format(self), inWindow.size(), Money.format(disbursed), share * 100,
                Money.format(minAmount), minShare * 100, Money.format(minShareAmount), platformId,
                Money.format(self), windowDays, inWindow.size(), medianHops, share * 100, Money.format(disbursed),
                Money.format(minAmount), minShare * 100, Money.format(minShareAmount));
        double strength = Math.max(self / (double) Math.max(1, minAmount), share / Math.max(1e-9, minShare));
        return new Finding(DetectorDefaults.SELF_FINANCING, platformId, SubjectType.PLATFORM, platformId,
                registry.regionOf(platformId), s.episode[0], s.episode[1], s.lastEventTime, severity,
                Math.min(1.0, 0.7 + 0.1 * strength),
                metrics("tracedAmountMinor", self, "disbursedMinor", disbursed, "share", share,
                        "medianHopCount", medianHops, "finalPayments", inWindow.size()),
                metrics("windowDays", windowDays, "minAmountMinor", minAmount, "minShare", minShare,
                        "minShareAmountMinor", minShareAmount, "criticalShare", rule.param("criticalShare")),
                evidence, rule.version(), summary, self, rule.param("reemitMinGrowth"));
    }

    static double median(List<Arrival> arrivals) {
        if (arrivals.isEmpty()) {
            return 0;
        }
        int[] hops = arrivals.stream().mapToInt(Arrival::hop).sorted().toArray();
        int n = hops.length;
        return n % 2 == 1 ? hops[n / 2] : (hops[n / 2 - 1] + hops[n / 2]) / 2.0;
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
