package fundwatch.topology.lookthrough;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.fundpooling.HubLeg;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.EpochDays;
import fundwatch.topology.support.FundwatchMetrics;
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
 * The account end of the look-through (D8), in the task that owns the account: clearing.payments is keyed by payer,
 * so an account's payments out are read here, and the traced credits it receives are repartitioned here by payee.
 *
 * <p><b>Traced money first, in event time.</b> An account holds traced credits ({@link Holding}, keyed by time of
 * receipt) and remembers its recent payments out ({@link Outgoing}, with the part not yet carrying traced money). A
 * payment out at time t draws on the holdings received in [t − horizon, t], oldest first, up to its amount; each part
 * it draws becomes a credit of its payee, one hop further. A traced credit received at time t that arrives after the
 * account already paid on — late in processing order, normal across partitions and in a replay whose input runs far
 * ahead of the repartition — is drawn, oldest payment first, by the remembered payments in [t, t + horizon] with
 * capacity left, exactly as they would have drawn it had it arrived first. Where several traced credits compete for
 * one payment's capacity, the amounts each payment carries are the same in any order; only which origin fills it may
 * differ. This is the conservative reading for supervision: a payment out of an account holding traced money is
 * presumed to spend it.
 *
 * <p>Money is followed through at most {@code maxHops} payments after the origin, and stops in accounts whose job is
 * to pool money (custody, payment reserves, a platform's general account: it is back at a platform) and — for D8a —
 * when loan money reaches its own platform.
 *
 * <p><b>D8b.</b> Traced LOAN money from ≥ 5 borrowers of one platform, ≥ ¥500,000 within 7 days, converging on one
 * account and ≥ 50 % of its inflow (counted from the payee legs the D1c pass-through detector already moves here).
 *
 * <p>Per event the work is a few keyed reads and range scans over the account's own entries within the horizon;
 * state is purged by event-time bucket once per day of stream time.
 */
final class TracingProcessor implements Processor<String, AccountSide, String, Object> {
    /** Accounts where traced money stops: they pool money by design, or are a platform's own again. */
    static final Set<AccountPurpose> TERMINAL = Set.of(AccountPurpose.CUSTODY_MASTER,
            AccountPurpose.CUSTODY_SUB_ACCOUNT, AccountPurpose.PAYMENT_RESERVE, AccountPurpose.PLATFORM_GENERAL);
    static final Set<AccountPurpose> POOLED = Set.of(AccountPurpose.CUSTODY_MASTER,
            AccountPurpose.CUSTODY_SUB_ACCOUNT, AccountPurpose.PAYMENT_RESERVE);
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** Wall-clock time a purge waits after stream time made it due: many loop round trips of the traced credits. */
    static final long LOOP_GRACE_MILLIS = Duration.ofMinutes(2).toMillis();
    private static final char SEP = TraceKeys.SEP;

    private final LookThroughTopology.Stores names;
    private final String clearingTopic;
    private final ZoneId zone;
    private final LongUnaryOperator dayOf;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Holding> holdings;
    private KeyValueStore<String, Outgoing> outgoing;
    private KeyValueStore<String, TracedCredit> received;
    private KeyValueStore<String, Long> inflow;
    private KeyValueStore<String, Convergence> convergence;
    private KeyValueStore<String, String> convergenceIndex;
    private RuleBook rules;
    private RegistryView registry;
    private SelfParties selfParties;
    private long purgedDay = Long.MIN_VALUE;
    /** Stream-time days reached, with the wall-clock time they were reached, waiting out the loop's grace. */
    private final java.util.ArrayDeque<long[]> purges = new java.util.ArrayDeque<>();
    private long queuedDay = Long.MIN_VALUE;

    TracingProcessor(LookThroughTopology.Stores names, String clearingTopic, ZoneId zone, FundwatchMetrics metrics) {
        this.names = names;
        this.clearingTopic = clearingTopic;
        this.zone = zone;
        this.dayOf = EpochDays.of(zone);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.holdings = context.getStateStore(names.holdings());
        this.outgoing = context.getStateStore(names.outgoing());
        this.received = context.getStateStore(names.received());
        this.inflow = context.getStateStore(names.inflow());
        this.convergence = context.getStateStore(names.convergence());
        this.convergenceIndex = context.getStateStore(names.convergenceIndex());
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        this.selfParties = new SelfParties(context);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, AccountSide> record) {
        AccountSide in = record.value();
        EffectiveRule trace = rules.rule(DetectorDefaults.LOOK_THROUGH);
        if (in.inflow() != null) {
            countInflow(in.inflow());
        } else if (in.debit() != null) {
            if (trace.enabled()) {
                debit(in.debit(), trace);
            }
        } else if (in.credit() != null) {
            credit(in.credit(), trace);
        }
    }

    private void countInflow(HubLeg leg) {
        if (leg.direction() != HubLeg.Direction.IN) {
            return;
        }
        String key = TraceKeys.pad(dayOf.applyAsLong(leg.eventTime()), 6) + SEP + leg.accountId();
        Long sum = inflow.get(key);
        inflow.put(key, (sum == null ? 0 : sum) + leg.amountMinor());
    }

    /** A payment out of the account: it carries traced money first, oldest first, up to its amount. */
    private void debit(ClearingPayment p, EffectiveRule trace) {
        String account = p.getPayerAccountId();
        AccountRegistration reg = registry.account(account);
        if (reg != null && TERMINAL.contains(reg.getPurpose())) {
            return;
        }
        long t = p.getEventTime().toEpochMilli();
        long horizon = horizonMillis(trace);
        long left = p.getAmountMinor();
        int seq = 0;
        for (KeyValue<String, Holding> kv : scan(holdings, account, t - horizon, t)) {
            if (left == 0) {
                break;
            }
            Holding h = kv.value;
            long take = Math.min(h.remainingMinor(), left);
            emitCarried(h.credit(), p.getPayeeAccountId(), p.getPayeePartyId(), p.getPaymentId(), seq++, t,
                    p.getAmountMinor(), account, take);
            left -= take;
            if (take == h.remainingMinor()) {
                holdings.delete(kv.key);
            } else {
                holdings.put(kv.key, new Holding(h.credit(), h.remainingMinor() - take));
            }
        }
        if (left > 0) {
            outgoing.put(TraceKeys.entry(account, t, p.getPaymentId()), new Outgoing(p.getPaymentId(),
                    p.getPayeeAccountId(), p.getPayeePartyId(), t, p.getAmountMinor(), left, seq));
        }
    }

    /** Traced money arriving: recorded, judged (D8a, D8b), then held or drawn by payments already made after it. */
    private void credit(TracedCredit c, EffectiveRule trace) {
        String account = c.payeeAccountId();
        long t = c.eventTime();
        received.put(TraceKeys.entry(account, t, c.paymentId(), c.seq()), c);
        metrics.registry().counter(LookThroughTopology.CREDITS_METRIC, "kind", c.originKind().name()).increment();
        AccountRegistration reg = registry.account(account);
        if (c.originKind() == OriginKind.LOAN && isSelf(reg, c)) {
            // Back at its own platform: D8a weighs it there; it is not followed further (it would count twice).
            context.forward(new Record<>(c.originPlatformId(), new SelfArrival(c), t));
            return;
        }
        if (reg != null && TERMINAL.contains(reg.getPurpose())) {
            return;
        }
        if (c.originKind() == OriginKind.LOAN) {
            converged(account, c);
        }
        if (!trace.enabled() || c.hop() > trace.longParam("maxHops")) {
            return;
        }
        long horizon = horizonMillis(trace);
        long left = c.amountMinor();
        for (KeyValue<String, Outgoing> kv : scan(outgoing, account, t, t + horizon)) {
            if (left == 0) {
                break;
            }
            Outgoing o = kv.value;
            long take = Math.min(o.capacityMinor(), left);
            emitCarried(c, o.payeeAccountId(), o.payeePartyId(), o.paymentId(), o.nextSeq(), o.eventTime(),
                    o.amountMinor(), account, take);
            metrics.registry().counter(LookThroughTopology.LATE_METRIC).increment();
            left -= take;
            if (take == o.capacityMinor()) {
                outgoing.delete(kv.key);
            } else {
                outgoing.put(kv.key, new Outgoing(o.paymentId(), o.payeeAccountId(), o.payeePartyId(),
                        o.eventTime(), o.amountMinor(), o.capacityMinor() - take, o.nextSeq() + 1));
            }
        }
        if (left > 0) {
            holdings.put(TraceKeys.entry(account, t, c.paymentId(), c.seq()), new Holding(c, left));
        }
    }

    /**
     * D8a's "own": the platform's general or related-party accounts, or any account held by a party that holds one
     * of its registered accounts. Custody and reserve accounts are not: a borrower repaying into the custody master
     * is the loan working as it should.
     */
    private boolean isSelf(AccountRegistration reg, TracedCredit c) {
        String platformId = c.originPlatformId();
        if (reg != null && POOLED.contains(reg.getPurpose())) {
            return false;
        }
        if (reg != null && platformId.equals(reg.getPlatformId())
                && (reg.getPurpose() == AccountPurpose.PLATFORM_GENERAL
                        || reg.getPurpose() == AccountPurpose.RELATED_PARTY)) {
            return true;
        }
        String holder = reg != null && reg.getHolderPartyId() != null ? reg.getHolderPartyId() : c.payeePartyId();
        return selfParties.holdsAccountOf(holder, platformId);
    }

    private void emitCarried(TracedCredit from, String payee, String payeeParty, String paymentId, int seq, long time,
            long paymentAmount, String payer, long amount) {
        TracedCredit next = from.carriedBy(payee, payeeParty, paymentId, seq, time, paymentAmount, payer, amount);
        context.forward(new Record<>(payee, next, time));
    }

    /** An account's entries in [from, to] of event time, oldest first, across the day buckets that span covers. */
    private static <V> List<KeyValue<String, V>> scan(KeyValueStore<String, V> store, String account, long from,
            long to) {
        List<KeyValue<String, V>> out = new ArrayList<>();
        long lo = Math.max(0, from);
        for (long b = TraceKeys.bucket(lo); b <= TraceKeys.bucket(to); b++) {
            long start = Math.max(lo, b * DAY);
            long end = Math.min(to, (b + 1) * DAY - 1);
            try (KeyValueIterator<String, V> it = store.range(TraceKeys.accountAt(account, start),
                    TraceKeys.after(TraceKeys.accountAt(account, end)))) {
                it.forEachRemaining(out::add);
            }
        }
        return out;
    }

    /** D8b: one platform's borrowers' loan money gathering in this account. */
    private void converged(String account, TracedCredit c) {
        EffectiveRule rule = rules.rule(DetectorDefaults.CONCENTRATED_FINAL_USE);
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        String key = account + SEP + c.originPlatformId();
        Convergence s = convergence.get(key);
        if (s == null) {
            s = new Convergence();
        }
        long now = Math.max(s.lastEventTime, c.eventTime());
        long today = dayOf.applyAsLong(now);
        long from = today - windowDays + 1;
        long fromTime = startOfDay(from);
        long day = dayOf.applyAsLong(c.eventTime());
        if (day < from) {
            metrics.lateEvent(DetectorDefaults.CONCENTRATED_FINAL_USE);
            return;
        }
        s.prune(from, fromTime);
        s.days.merge(day, c.amountMinor(), Long::sum);
        String borrower = c.borrowerPartyId() != null ? c.borrowerPartyId() : c.hops().get(0).payeeAccountId();
        s.borrower(borrower, c.eventTime());
        s.evidence = Arrival.with(s.evidence, new Arrival(c.paymentId(), borrower, c.amountMinor(), c.eventTime(),
                c.hop()));
        s.lastEventTime = now;
        long expiry = today + windowDays + 1;
        if (expiry != s.expiryDay) {
            if (s.expiryDay != 0) {
                convergenceIndex.delete(TraceKeys.pad(s.expiryDay, 6) + SEP + key);
            }
            convergenceIndex.put(TraceKeys.pad(expiry, 6) + SEP + key, key);
            s.expiryDay = expiry;
        }
        Finding f = evaluate(account, c.originPlatformId(), s, now, today, from, fromTime, windowDays, rule);
        convergence.put(key, s);
        if (f != null && rule.enabled()) {
            context.forward(new Record<>(account, f, f.lastEventTime()));
        }
    }

    private Finding evaluate(String account, String platformId, Convergence s, long now, long today, long from,
            long fromTime, long windowDays, EffectiveRule rule) {
        long borrowers = s.distinctSince(fromTime);
        long traced = s.sum(from, today);
        long minBorrowers = rule.longParam("minBorrowers");
        long minAmount = rule.longParam("minAmountMinor");
        if (borrowers < minBorrowers || traced < minAmount) {
            return null;
        }
        long in = 0;
        for (long d = from; d <= today; d++) {
            Long v = inflow.get(TraceKeys.pad(d, 6) + SEP + account);
            in += v == null ? 0 : v;
        }
        // The traced credits and the inflow legs cross different repartitions: the share never exceeds 1.
        double share = traced / (double) Math.max(traced, in);
        double minShare = rule.param("minInflowShare");
        if (share < minShare) {
            return null;
        }
        List<Arrival> inWindow = new ArrayList<>();
        for (Arrival a : s.evidence) {
            if (a.eventTime() >= fromTime) {
                inWindow.add(a);
            }
        }
        if (s.episode == null || now >= s.episode[1]) {
            s.episode = new long[] {fromTime, startOfDay(today + 1 + windowDays), 0};
        }
        Severity severity = traced >= rule.longParam("criticalAmountMinor") ? Severity.CRITICAL : Severity.HIGH;
        severity = Severity.values()[(int) Math.max(s.episode[2], severity.ordinal())];
        s.episode[2] = severity.ordinal();
        double medianHops = OriginProcessor.median(inWindow);
        List<EvidenceItem> evidence = new ArrayList<>();
        inWindow.forEach(a -> evidence.add(a.toEvidence(clearingTopic)));
        String summary = String.format(Locale.ROOT,
                "账户 %s: %d 日内平台 %s 的 %d 名借款人 (阈值 %d) 的借款资金 %s (阈值 %s) 归集至此, 占其流入 %s 的 %.0f%% "
                        + "(阈值 %.0f%%): 涉嫌虚构借款人 / account %s: loans of %d borrowers of platform %s (limit %d) "
                        + "converged here within %d days, %s (limit %s), %.0f%% of its inflow of %s (limit %.0f%%): "
                        + "borrowers fronting for one user",
                account, windowDays, platformId, borrowers, minBorrowers, Money.format(traced),
                Money.format(minAmount), Money.format(in), share * 100, minShare * 100, account, borrowers,
                platformId, minBorrowers, windowDays, Money.format(traced), Money.format(minAmount),
                share * 100, Money.format(in), minShare * 100);
        double strength = Math.min(borrowers / (double) Math.max(1, minBorrowers),
                traced / (double) Math.max(1, minAmount));
        AccountRegistration reg = registry.account(account);
        String region = registry.regionOf(platformId);
        return new Finding(DetectorDefaults.CONCENTRATED_FINAL_USE, account, SubjectType.ACCOUNT, platformId,
                region != null ? region : reg == null ? null : registry.regionOf(reg.getPlatformId()),
                s.episode[0], s.episode[1], s.lastEventTime, severity, Math.min(1.0, 0.6 + 0.1 * strength),
                metrics("distinctBorrowers", borrowers, "tracedAmountMinor", traced, "inflowMinor", in,
                        "inflowShare", share, "medianHopCount", medianHops, "finalPayments", inWindow.size()),
                metrics("windowDays", windowDays, "minBorrowers", minBorrowers, "minAmountMinor", minAmount,
                        "minInflowShare", minShare, "criticalAmountMinor", rule.param("criticalAmountMinor")),
                evidence, rule.version(), summary, traced, rule.param("reemitMinGrowth"));
    }

    private static long horizonMillis(EffectiveRule trace) {
        return Math.round(trace.param("horizonHours") * 3_600_000d);
    }

    /**
     * Once per day of stream time — but each day's purge only {@link #LOOP_GRACE_MILLIS} of wall-clock time after
     * stream time reached it: whole buckets past the horizon (twice over), inflow days and convergence states past
     * D8b's window. In a backlog replay the input drives stream time days ahead of the traced credits still going
     * round the loop topic (each hop one round trip, seconds of wall time but days of event time), and a credit that
     * arrives must still find the payments out it funds; live, stream time follows the wall clock and the grace costs
     * nothing.
     */
    private void purge(long streamTime) {
        long day = dayOf.applyAsLong(streamTime);
        long wall = context.currentSystemTimeMs();
        if (day > queuedDay) {
            queuedDay = day;
            purges.addLast(new long[] {wall, streamTime});
        }
        long settled = Long.MIN_VALUE;
        while (!purges.isEmpty() && purges.peekFirst()[0] <= wall - LOOP_GRACE_MILLIS) {
            settled = purges.pollFirst()[1];
        }
        if (settled == Long.MIN_VALUE) {
            return;
        }
        long today = dayOf.applyAsLong(settled);
        if (today <= purgedDay) {
            return;
        }
        purgedDay = today;
        EffectiveRule trace = rules.rule(DetectorDefaults.LOOK_THROUGH);
        long windowDays = Math.max(1, rules.rule(DetectorDefaults.CONCENTRATED_FINAL_USE).longParam("windowDays"));
        long cut = TraceKeys.bucket(settled - 2 * horizonMillis(trace)) - 1;
        LookThroughTopology.deleteBefore(holdings, cut);
        LookThroughTopology.deleteBefore(outgoing, cut);
        // Received credits answer the account query and D8b's alert trace: kept for the longer of the two.
        LookThroughTopology.deleteBefore(received, Math.min(cut, TraceKeys.bucket(settled) - windowDays - 2));
        LookThroughTopology.deleteBefore(inflow, today - windowDays - 1);
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = convergenceIndex.range("", TraceKeys.pad(today, 6) + '\uffff')) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> kv : due) {
            convergenceIndex.delete(kv.key);
            Convergence s = convergence.get(kv.value);
            if (s != null && s.expiryDay <= today) {
                convergence.delete(kv.value);
            }
        }
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
