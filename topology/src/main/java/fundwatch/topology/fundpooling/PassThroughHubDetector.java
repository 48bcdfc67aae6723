package fundwatch.topology.fundpooling;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.EpochDays;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
 * D1c pass-through hub (FUND_POOLING) and ILLEGAL_FUNDRAISING, over the clearing legs of every account,
 * registered or not, keyed by account.
 *
 * <p>Windows slide by day: the N-day window at time t is the sum of the daily buckets of the N Beijing days
 * ending with t's day, re-evaluated on every leg of the account and — for one-off payers, which only count once
 * they have stayed away {@code hubConfirmDays} — again when stream time reaches that confirmation (a due index
 * keyed by time, visited by a stream-time punctuator). A finding that keeps firing stays one alert (one
 * episode: the window in which it first fired) and gets revisions as it grows.
 *
 * <p>Exempt: accounts registered as CUSTODY_MASTER, CUSTODY_SUB_ACCOUNT or PAYMENT_RESERVE, whose job is to
 * gather and scatter client money; they keep no state here. ILLEGAL_FUNDRAISING only looks at accounts tied to
 * no licensed platform.
 */
public final class PassThroughHubDetector implements Processor<String, HubLeg, String, Finding> {
    static final String HUB = DetectorDefaults.FUND_POOLING;
    static final String FUNDRAISING = DetectorDefaults.ILLEGAL_FUNDRAISING;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final String flowsStoreName;
    private final String dueStoreName;
    private final String topic;
    private final ZoneId zone;
    private final FundwatchMetrics metrics;
    private final LongUnaryOperator dayOf;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, AccountFlows> flows;
    private KeyValueStore<String, String> due;
    private RuleBook rules;
    private RegistryView registry;

    public PassThroughHubDetector(String flowsStoreName, String dueStoreName, String topic, ZoneId zone,
            FundwatchMetrics metrics) {
        this.flowsStoreName = flowsStoreName;
        this.dueStoreName = dueStoreName;
        this.topic = topic;
        this.zone = zone;
        this.metrics = metrics;
        this.dayOf = EpochDays.of(zone);
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.flows = context.getStateStore(flowsStoreName);
        this.due = context.getStateStore(dueStoreName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::confirmDue);
    }

    @Override
    public void process(Record<String, HubLeg> record) {
        HubLeg leg = record.value();
        AccountRegistration reg = registry.account(leg.accountId());
        if (reg != null && PayeeLegs.EXEMPT.contains(reg.getPurpose())) {
            return;
        }
        EffectiveRule hub = rules.rule(HUB);
        EffectiveRule fr = rules.rule(FUNDRAISING);
        AccountFlows state = flows.get(leg.accountId());
        if (state == null) {
            state = new AccountFlows();
        }
        long now = Math.max(state.lastEventTime, leg.eventTime());
        long retention = retentionMillis(hub, fr);
        if (leg.eventTime() < now - retention) {
            metrics.lateEvent(HUB);
            return;
        }
        if (leg.eventTime() < context.currentStreamTimeMs() - hub.minutesAsMillis("graceMinutes")) {
            // Still counted: the daily buckets take it wherever it falls inside retention.
            metrics.lateEvent(HUB);
        }
        state.add(leg, dayOf.applyAsLong(leg.eventTime()), (int) hub.longParam("exactCounterpartyCap"), dayOf,
                topic);
        state.prune(now - retention, dayOf.applyAsLong(now - retention));
        long confirm = days(hub, "hubConfirmDays");
        if (confirm > 0 && leg.direction() == HubLeg.Direction.IN) {
            due.put(pad13(leg.eventTime() + confirm) + '|' + leg.accountId(), leg.accountId());
        }
        evaluate(leg.accountId(), reg, state, now, hub, fr);
        flows.put(leg.accountId(), state);
    }

    /** Re-evaluates accounts whose one-off payers have now stayed away long enough to count. */
    private void confirmDue(long streamTime) {
        List<KeyValue<String, String>> ready = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.range(pad13(0), pad13(streamTime) + '|' + '\uffff')) {
            while (it.hasNext()) {
                ready.add(it.next());
            }
        }
        Set<String> accounts = new LinkedHashSet<>();
        for (KeyValue<String, String> kv : ready) {
            due.delete(kv.key);
            accounts.add(kv.value);
        }
        EffectiveRule hub = rules.rule(HUB);
        EffectiveRule fr = rules.rule(FUNDRAISING);
        for (String account : accounts) {
            AccountFlows state = flows.get(account);
            if (state != null) {
                long now = Math.max(state.lastEventTime, streamTime);
                evaluate(account, registry.account(account), state, now, hub, fr);
                flows.put(account, state);
            }
        }
    }

    private void evaluate(String account, AccountRegistration reg, AccountFlows s, long now, EffectiveRule hub,
            EffectiveRule fr) {
        long today = dayOf.applyAsLong(now);
        Finding hubFinding = hubFinding(account, reg, s, now, today, hub);
        if (hubFinding != null && hub.enabled()) {
            context.forward(new Record<>(account, hubFinding, hubFinding.lastEventTime()));
        }
        if (tiedToLicensedPlatform(reg)) {
            return;
        }
        Finding frFinding = fundraisingFinding(account, reg, s, now, today, fr);
        if (frFinding != null && fr.enabled()) {
            context.forward(new Record<>(account, frFinding, frFinding.lastEventTime()));
        }
    }

    private Finding hubFinding(String account, AccountRegistration reg, AccountFlows s, long now, long today,
            EffectiveRule rule) {
        long windowDays = Math.max(1, rule.longParam("hubWindowDays"));
        long from = today - windowDays + 1;
        long confirm = days(rule, "hubConfirmDays");
        long recurring = days(rule, "hubRecurringLookbackDays");
        double payers = s.payers.distinct(from, today, now, confirm, recurring, dayOf);
        double payees = s.payees.distinct(from, today, now, confirm, recurring, dayOf);
        long in = s.sumIn(from, today);
        long out = s.sumOut(from, today);
        double minPayers = rule.param("hubMinDistinctPayers");
        double minPayees = rule.param("hubMinDistinctPayees");
        double ratio = in == 0 ? 0 : out / (double) in;
        if (in == 0 || payers < minPayers || payees < minPayees || ratio < rule.param("hubMinOutInRatio")
                || ratio > rule.param("hubMaxOutInRatio")) {
            return null;
        }
        long[] window = episode(s, HUB, startOfDay(from), now, windowDays);
        double strength = payers / Math.max(1, minPayers);
        if (minPayees > 0) {
            strength = Math.min(strength, payees / minPayees);
        }
        // Within one episode severity only rises: a count wobbling around 2 × the limit is not news each time.
        Severity severity = Severity.values()[(int) Math.max(window[2],
                (strength >= 2 ? Severity.HIGH : Severity.MEDIUM).ordinal())];
        window[2] = severity.ordinal();
        double score = Math.min(1.0, 0.5 + 0.25 * (strength - 1));
        String sketched = s.payers.isExact() && s.payees.isExact() ? "exact" : "HyperLogLog ±1.6%";
        String summary = String.format(Locale.ROOT,
                "账户 %s: %d 日内收款方 %d 个付款人 (阈值 %d), 付款给 %d 个收款人 (阈值 %d), 流出/流入 %.2f: 资金归集后分散转出 / "
                        + "account %s received from %d distinct payers (limit %d) and paid %d distinct payees "
                        + "(limit %d) within %d days, outflow/inflow %.2f (%s, %s): money gathered and scattered",
                account, windowDays, Math.round(payers), Math.round(minPayers), Math.round(payees),
                Math.round(minPayees), ratio, account, Math.round(payers), Math.round(minPayers),
                Math.round(payees), Math.round(minPayees), windowDays, ratio, Money.format(in), sketched);
        return new Finding(HUB, account, SubjectType.ACCOUNT, platformOf(reg), registry.regionOf(platformOf(reg)),
                window[0], window[1], s.lastEventTime, severity, score,
                metrics("distinctPayers", payers, "distinctPayees", payees, "inflowMinor", in, "outflowMinor", out,
                        "outInRatio", ratio),
                metrics("hubWindowDays", windowDays, "hubMinDistinctPayers", minPayers,
                        "hubMinDistinctPayees", minPayees, "hubMinOutInRatio", rule.param("hubMinOutInRatio"),
                        "hubMaxOutInRatio", rule.param("hubMaxOutInRatio"),
                        "hubRecurringLookbackDays", rule.param("hubRecurringLookbackDays"),
                        "hubConfirmDays", rule.param("hubConfirmDays")),
                // Revisions follow the counterparties: a hub that keeps its shape but moves more money is the same finding.
                s.evidenceSince(startOfDay(from)), rule.version(), summary, payers + payees,
                rule.param("reemitMinGrowth"));
    }

    private Finding fundraisingFinding(String account, AccountRegistration reg, AccountFlows s, long now, long today,
            EffectiveRule rule) {
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        long from = today - windowDays + 1;
        double individuals = s.payers.distinctIndividuals(from, today, dayOf);
        long collected = s.sumIndividualIn(from, today);
        double minIndividuals = rule.param("minIndividualPayers");
        long minAmount = rule.longParam("minIndividualAmountMinor");
        if (individuals < minIndividuals && collected < minAmount) {
            return null;
        }
        double paidBack = CounterpartySide.paidBack(s.payers, s.payees, from, today, dayOf);
        double paybackShare = individuals == 0 ? 0 : paidBack / individuals;
        double payees = s.payees.distinct(from, today, now, 0, 0, dayOf);
        long out = s.sumOut(from, today);
        double passOnShare = collected == 0 ? 0 : out / (double) collected;
        boolean paysBack = paybackShare >= rule.param("minPaybackShare");
        boolean passesOn = passOnShare >= rule.param("minPassOnShare") && payees >= rule.param("minPassOnPayees");
        if (!paysBack && !passesOn) {
            return null;
        }
        long[] window = episode(s, FUNDRAISING, startOfDay(from), now, windowDays);
        String behaviour = paysBack
                ? String.format(Locale.ROOT, "向 %.0f%% 的付款人回款 / paid back %.0f%% of them", paybackShare * 100,
                        paybackShare * 100)
                : String.format(Locale.ROOT, "将 %.0f%% 转给 %d 个收款人 / passed %.0f%% on to %d payees",
                        passOnShare * 100, Math.round(payees), passOnShare * 100, Math.round(payees));
        String summary = String.format(Locale.ROOT,
                "无持牌平台账户 %s: %d 日内向 %d 名个人吸收资金 %s (阈值 %d 人或 %s), %s: 涉嫌非法集资 / "
                        + "account tied to no licensed platform %s collected %s from %d individuals within %d days "
                        + "(limit %d individuals or %s), %s",
                account, windowDays, Math.round(individuals), Money.format(collected), Math.round(minIndividuals),
                Money.format(minAmount), behaviour, account, Money.format(collected), Math.round(individuals),
                windowDays, Math.round(minIndividuals), Money.format(minAmount), behaviour);
        double strength = Math.max(individuals / Math.max(1, minIndividuals), collected / (double) Math.max(1, minAmount));
        return new Finding(FUNDRAISING, account, SubjectType.ACCOUNT, platformOf(reg),
                registry.regionOf(platformOf(reg)), window[0], window[1], s.lastEventTime, Severity.CRITICAL,
                Math.min(1.0, 0.8 + 0.1 * strength),
                metrics("distinctIndividualPayers", individuals, "individualAmountMinor", collected,
                        "paidBackPayers", paidBack, "paybackShare", paybackShare, "distinctPayees", payees,
                        "outflowMinor", out, "passOnShare", passOnShare),
                metrics("windowDays", windowDays, "minIndividualPayers", minIndividuals,
                        "minIndividualAmountMinor", minAmount, "minPaybackShare", rule.param("minPaybackShare"),
                        "minPassOnShare", rule.param("minPassOnShare"),
                        "minPassOnPayees", rule.param("minPassOnPayees")),
                s.evidenceSince(startOfDay(from)), rule.version(), summary, collected, rule.param("reemitMinGrowth"));
    }

    /**
     * The alert window of a finding: from the start of the sliding window in which it first fired to one window
     * length after that day, so it covers the evidence that made it and the period it stays open. Later firings
     * inside it are the same finding (revisions); a firing after its end starts a new episode. The end lies a
     * full window ahead so the alert lifecycle keeps the revision counter for as long as the episode can fire.
     */
    private long[] episode(AccountFlows s, String detector, long windowStart, long now, long windowDays) {
        long[] open = s.episodes.get(detector);
        if (open != null && now < open[1]) {
            return open;
        }
        long[] fresh = {windowStart, startOfDay(dayOf.applyAsLong(now) + 1 + windowDays), 0};
        s.episodes.put(detector, fresh);
        return fresh;
    }

    private boolean tiedToLicensedPlatform(AccountRegistration reg) {
        if (reg == null || reg.getPlatformId() == null) {
            return false;
        }
        Platform p = registry.platform(reg.getPlatformId());
        return p != null && p.getLicensed();
    }

    private static String platformOf(AccountRegistration reg) {
        return reg == null ? null : reg.getPlatformId();
    }

    private long retentionMillis(EffectiveRule hub, EffectiveRule fr) {
        long windows = Math.max(hub.longParam("hubWindowDays"), fr.longParam("windowDays")) * DAY;
        return windows + Math.max(days(hub, "hubRecurringLookbackDays"), days(hub, "hubConfirmDays")) + DAY;
    }

    private static long days(EffectiveRule rule, String name) {
        return Math.round(rule.param(name) * DAY);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static String pad13(long millis) {
        return String.format("%013d", Math.max(0, millis));
    }
}
