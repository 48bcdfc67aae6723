package fundwatch.topology.fundpooling;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
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
 * <p>Windows slide by day: the N-day window at time t is the sum of the daily rows ({@link HubSummary}) of the N
 * Beijing days ending with t's day, re-evaluated on every leg of the account and — for one-off payers, which only
 * count once they have stayed away {@code hubConfirmDays} calendar days — again when stream time reaches that day.
 * A finding that keeps firing stays one alert (one episode: the window in which it first fired) and gets revisions
 * as it grows.
 *
 * <p>Counterparties are counted by party ({@link HubLeg#counterpartyKey}): distinct payers and payees, individuals,
 * and payback (a payer later paid by the account, on whichever of their accounts). A payment that names no party
 * counts its account instead. Evidence names the payments themselves (paymentId) and the counterparty's account.
 *
 * <p>Per leg the work is fixed: the account's summary (one row per day in retention), the one counterparty's entry
 * ({@link HubCounterparty}), and — only when the leg is among the day's largest — that day's evidence list. Nothing
 * that grows with the account's history or its number of counterparties is read or written whole. What leaves
 * retention is deleted through a time-ordered index visited once per day of stream time: counterparties not seen
 * for the retention, and with the last of them their account.
 *
 * <p>Exempt: accounts registered as CUSTODY_MASTER, CUSTODY_SUB_ACCOUNT or PAYMENT_RESERVE, whose job is to
 * gather and scatter client money; they keep no state here. ILLEGAL_FUNDRAISING only looks at accounts tied to
 * no licensed platform.
 */
public final class PassThroughHubDetector implements Processor<String, HubLeg, String, Finding> {
    static final String HUB = DetectorDefaults.FUND_POOLING;
    static final String FUNDRAISING = DetectorDefaults.ILLEGAL_FUNDRAISING;
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** Separates the parts of a store key; account ids may contain any printable character. */
    static final char SEP = '\u001f';
    /** Index entries: a counterparty's expiry, an account's confirmation re-evaluation. */
    static final String COUNTERPARTY_EXPIRY = "c|";
    static final String CONFIRMATION = "d|";

    private final Stores names;
    private final String topic;
    private final ZoneId zone;
    private final FundwatchMetrics metrics;
    private final LongUnaryOperator dayOf;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, HubSummary> accounts;
    private KeyValueStore<String, HubCounterparty> counterparties;
    private KeyValueStore<String, EvidenceList> evidence;
    private KeyValueStore<String, String> index;
    private RuleBook rules;
    private RegistryView registry;
    private long sweptDay = Long.MIN_VALUE;

    /** The names of the detector's four stores. */
    public record Stores(String accounts, String counterparties, String evidence, String index) {
        public String[] all() {
            return new String[] {accounts, counterparties, evidence, index};
        }
    }

    public PassThroughHubDetector(Stores names, String topic, ZoneId zone, FundwatchMetrics metrics) {
        this.names = names;
        this.topic = topic;
        this.zone = zone;
        this.metrics = metrics;
        this.dayOf = EpochDays.of(zone);
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.accounts = context.getStateStore(names.accounts());
        this.counterparties = context.getStateStore(names.counterparties());
        this.evidence = context.getStateStore(names.evidence());
        this.index = context.getStateStore(names.index());
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        // Fires often, acts once per day of stream time: every index entry is keyed by day.
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, HubLeg> record) {
        HubLeg leg = record.value();
        String account = leg.accountId();
        AccountRegistration reg = registry.account(account);
        if (reg != null && PayeeLegs.EXEMPT.contains(reg.getPurpose())) {
            return;
        }
        EffectiveRule hub = rules.rule(HUB);
        EffectiveRule fr = rules.rule(FUNDRAISING);
        HubSummary s = accounts.get(account);
        if (s == null) {
            s = new HubSummary();
        }
        long now = Math.max(s.lastEventTime, leg.eventTime());
        long today = dayOf.applyAsLong(now);
        long legDay = dayOf.applyAsLong(leg.eventTime());
        long retentionDays = retentionDays(hub, fr);
        long horizonDay = today - retentionDays;
        if (legDay < horizonDay) {
            metrics.lateEvent(HUB);
            return;
        }
        if (leg.eventTime() < context.currentStreamTimeMs() - hub.minutesAsMillis("graceMinutes")) {
            // Still counted: the daily rows take it wherever it falls inside retention.
            metrics.lateEvent(HUB);
        }
        dropDaysBefore(account, s, horizonDay);

        // One entry per (account, counterparty party): counting by party costs no more than counting by card.
        String cpKey = account + SEP + leg.counterpartyKey();
        HubCounterparty before = counterparties.get(cpKey);
        HubCounterparty after = (before == null ? HubCounterparty.NONE : before).seen(leg);
        long recurringMillis = millis(hub, "hubRecurringLookbackDays");
        if (before != null) {
            contribute(s, before, -1, recurringMillis, horizonDay);
        }
        contribute(s, after, 1, recurringMillis, horizonDay);
        long expires = dayOf.applyAsLong(after.latest()) + retentionDays + 1;
        if (after.expiryDay() != expires) {
            if (after.expiryDay() != 0) {
                index.delete(indexKey(COUNTERPARTY_EXPIRY, after.expiryDay(), cpKey));
            }
            index.put(indexKey(COUNTERPARTY_EXPIRY, expires, cpKey), cpKey);
            after = after.expiringOn(expires);
        }
        counterparties.put(cpKey, after);

        long[] row = s.day(legDay);
        if (leg.direction() == HubLeg.Direction.IN) {
            row[HubSummary.IN] = Math.addExact(row[HubSummary.IN], leg.amountMinor());
            if (leg.individualCounterparty()) {
                row[HubSummary.INDIVIDUAL_IN] = Math.addExact(row[HubSummary.INDIVIDUAL_IN], leg.amountMinor());
            }
        } else {
            row[HubSummary.OUT] = Math.addExact(row[HubSummary.OUT], leg.amountMinor());
        }
        keepEvidence(account, legDay, row, leg);
        s.lastEventTime = now;

        // No index entry of its own: the account goes when its last counterparty does (see sweep).
        s.expiryDay = Math.max(s.expiryDay, expires);
        long confirmDays = Math.round(hub.param("hubConfirmDays"));
        if (confirmDays > 0 && leg.direction() == HubLeg.Direction.IN && legDay + confirmDays > s.confirmDay) {
            s.confirmDay = legDay + confirmDays;
            index.put(indexKey(CONFIRMATION, s.confirmDay, account), account);
        }
        evaluate(account, reg, s, now, hub, fr);
        accounts.put(account, s);
    }

    /**
     * Adds (or with {@code sign} −1 takes back) what one counterparty contributes to the daily rows: it is counted
     * on the day it was last seen on each side, and as paid back on the earlier of the two.
     */
    private void contribute(HubSummary s, HubCounterparty c, int sign, long recurringMillis, long horizonDay) {
        long payerDay = c.payerLast() > 0 ? dayOf.applyAsLong(c.payerLast()) : Long.MIN_VALUE;
        long payeeDay = c.payeeLast() > 0 ? dayOf.applyAsLong(c.payeeLast()) : Long.MIN_VALUE;
        if (c.payerLast() > 0) {
            s.count(payerDay, HubSummary.PAYERS, sign, horizonDay);
            if (c.individualPayer()) {
                s.count(payerDay, HubSummary.INDIVIDUAL_PAYERS, sign, horizonDay);
            }
            if (!recurring(c.payerLast(), c.payerPrev(), recurringMillis)) {
                s.count(payerDay, HubSummary.NON_RECURRING_PAYERS, sign, horizonDay);
            }
        }
        if (c.payeeLast() > 0) {
            s.count(payeeDay, HubSummary.PAYEES, sign, horizonDay);
            if (!recurring(c.payeeLast(), c.payeePrev(), recurringMillis)) {
                s.count(payeeDay, HubSummary.NON_RECURRING_PAYEES, sign, horizonDay);
            }
            if (c.payerLast() > 0 && c.individualPayer()) {
                s.count(Math.min(payerDay, payeeDay), HubSummary.PAID_BACK, sign, horizonDay);
            }
        }
    }

    /** A counterparty that had also paid within the look-back before its latest payment: a standing order. */
    private static boolean recurring(long last, long prev, long recurringMillis) {
        return recurringMillis > 0 && prev != 0 && last - prev <= recurringMillis;
    }

    private void keepEvidence(String account, long day, long[] row, HubLeg leg) {
        if (row[HubSummary.EVIDENCE_COUNT] >= EvidenceList.KEPT && leg.amountMinor() <= row[HubSummary.EVIDENCE_MIN]) {
            return;
        }
        String key = account + SEP + day;
        EvidenceList list = evidence.get(key);
        list = (list == null ? new EvidenceList(List.of()) : list).with(new EvidenceItem(topic, leg.paymentId(),
                leg.amountMinor(), leg.eventTime(), leg.counterpartyId()));
        evidence.put(key, list);
        row[HubSummary.EVIDENCE_COUNT] = list.items().size();
        row[HubSummary.EVIDENCE_MIN] = list.smallest();
    }

    private void dropDaysBefore(String account, HubSummary s, long horizonDay) {
        for (var e : s.days.headMap(horizonDay).entrySet()) {
            if (e.getValue()[HubSummary.EVIDENCE_COUNT] > 0) {
                evidence.delete(account + SEP + e.getKey());
            }
        }
        s.prune(horizonDay);
    }

    /** The largest legs of the window's days, largest first. */
    private List<EvidenceItem> evidenceOf(String account, HubSummary s, long fromDay, long toDay) {
        List<EvidenceItem> all = new ArrayList<>();
        for (var e : s.days.subMap(fromDay, true, toDay, true).entrySet()) {
            if (e.getValue()[HubSummary.EVIDENCE_COUNT] > 0) {
                EvidenceList list = evidence.get(account + SEP + e.getKey());
                if (list != null) {
                    all.addAll(list.items());
                }
            }
        }
        all.sort(EvidenceItem.LARGEST_FIRST);
        return all.size() > WindowState.MAX_EVIDENCE ? all.subList(0, WindowState.MAX_EVIDENCE) : all;
    }

    /**
     * Once per day of stream time: re-evaluates accounts whose one-off payers now count, deletes counterparties and
     * accounts that left retention. Only the index entries that are due are visited.
     */
    private void sweep(long streamTime) {
        long today = dayOf.applyAsLong(streamTime);
        if (today <= sweptDay) {
            return;
        }
        sweptDay = today;
        EffectiveRule hub = rules.rule(HUB);
        EffectiveRule fr = rules.rule(FUNDRAISING);
        for (KeyValue<String, String> due : due(CONFIRMATION, today)) {
            index.delete(due.key);
            HubSummary s = accounts.get(due.value);
            if (s != null) {
                evaluate(due.value, registry.account(due.value), s, Math.max(s.lastEventTime, streamTime), hub, fr);
                accounts.put(due.value, s);
            }
        }
        for (KeyValue<String, String> due : due(COUNTERPARTY_EXPIRY, today)) {
            index.delete(due.key);
            HubCounterparty c = counterparties.get(due.value);
            if (c != null && indexKey(COUNTERPARTY_EXPIRY, c.expiryDay(), due.value).equals(due.key)) {
                counterparties.delete(due.value);
                // The account's expiry is that of its latest counterparty: when that one goes, so does the account.
                String account = due.value.substring(0, due.value.indexOf(SEP));
                HubSummary s = accounts.get(account);
                if (s != null && s.expiryDay <= today) {
                    dropDaysBefore(account, s, Long.MAX_VALUE);
                    accounts.delete(account);
                }
            }
        }
    }

    private List<KeyValue<String, String>> due(String kind, long today) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.range(kind, indexKey(kind, today, "\uffff"))) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        return due;
    }

    static String indexKey(String kind, long day, String subject) {
        String d = Long.toString(Math.max(0, day));
        return kind + "0000000".substring(Math.min(7, d.length())) + d + SEP + subject;
    }

    private void evaluate(String account, AccountRegistration reg, HubSummary s, long now, EffectiveRule hub,
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

    private Finding hubFinding(String account, AccountRegistration reg, HubSummary s, long now, long today,
            EffectiveRule rule) {
        long windowDays = Math.max(1, rule.longParam("hubWindowDays"));
        long from = today - windowDays + 1;
        // One-off payers count once they stayed away hubConfirmDays calendar days; standing orders never.
        long countTo = today - Math.max(0, Math.round(rule.param("hubConfirmDays")));
        boolean skipRecurring = rule.param("hubRecurringLookbackDays") > 0;
        double payers = s.sum(skipRecurring ? HubSummary.NON_RECURRING_PAYERS : HubSummary.PAYERS, from, countTo);
        double payees = s.sum(skipRecurring ? HubSummary.NON_RECURRING_PAYEES : HubSummary.PAYEES, from, countTo);
        long in = s.sum(HubSummary.IN, from, today);
        long out = s.sum(HubSummary.OUT, from, today);
        double minPayers = rule.param("hubMinDistinctPayers");
        double minPayees = rule.param("hubMinDistinctPayees");
        double ratio = in == 0 ? 0 : out / (double) in;
        if (in == 0 || payers < minPayers || payees < minPayees || ratio < rule.param("hubMinOutInRatio")
                || ratio > rule.param("hubMaxOutInRatio")) {
            return null;
        }
        long[] window = s.hubEpisode = episode(s.hubEpisode, startOfDay(from), now, windowDays);
        double strength = payers / Math.max(1, minPayers);
        if (minPayees > 0) {
            strength = Math.min(strength, payees / minPayees);
        }
        // Within one episode severity only rises: a count wobbling around 2 × the limit is not news each time.
        Severity severity = Severity.values()[(int) Math.max(window[2],
                (strength >= 2 ? Severity.HIGH : Severity.MEDIUM).ordinal())];
        window[2] = severity.ordinal();
        double score = Math.min(1.0, 0.5 + 0.25 * (strength - 1));
        String summary = String.format(Locale.ROOT,
                "账户 %s: %d 日内收款方 %d 个付款人 (阈值 %d), 付款给 %d 个收款人 (阈值 %d), 流出/流入 %.2f: 资金归集后分散转出 / "
                        + "account %s received from %d distinct payers (limit %d) and paid %d distinct payees "
                        + "(limit %d) within %d days, outflow/inflow %.2f (%s): money gathered and scattered",
                account, windowDays, Math.round(payers), Math.round(minPayers), Math.round(payees),
                Math.round(minPayees), ratio, account, Math.round(payers), Math.round(minPayers),
                Math.round(payees), Math.round(minPayees), windowDays, ratio, Money.format(in));
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
                evidenceOf(account, s, from, today), rule.version(), summary, payers + payees,
                rule.param("reemitMinGrowth"));
    }

    private Finding fundraisingFinding(String account, AccountRegistration reg, HubSummary s, long now, long today,
            EffectiveRule rule) {
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        long from = today - windowDays + 1;
        double individuals = s.sum(HubSummary.INDIVIDUAL_PAYERS, from, today);
        long collected = s.sum(HubSummary.INDIVIDUAL_IN, from, today);
        double minIndividuals = rule.param("minIndividualPayers");
        long minAmount = rule.longParam("minIndividualAmountMinor");
        if (individuals < minIndividuals && collected < minAmount) {
            return null;
        }
        double paidBack = s.sum(HubSummary.PAID_BACK, from, today);
        double paybackShare = individuals == 0 ? 0 : paidBack / individuals;
        double payees = s.sum(HubSummary.PAYEES, from, today);
        long out = s.sum(HubSummary.OUT, from, today);
        double passOnShare = collected == 0 ? 0 : out / (double) collected;
        boolean paysBack = paybackShare >= rule.param("minPaybackShare");
        boolean passesOn = passOnShare >= rule.param("minPassOnShare") && payees >= rule.param("minPassOnPayees");
        if (!paysBack && !passesOn) {
            return null;
        }
        long[] window = s.fundraisingEpisode = episode(s.fundraisingEpisode, startOfDay(from), now, windowDays);
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
                evidenceOf(account, s, from, today), rule.version(), summary, collected,
                rule.param("reemitMinGrowth"));
    }

    /**
     * The alert window of a finding: from the start of the sliding window in which it first fired to one window
     * length after that day, so it covers the evidence that made it and the period it stays open. Later firings
     * inside it are the same finding (revisions); a firing after its end starts a new episode. The end lies a
     * full window ahead so the alert lifecycle keeps the revision counter for as long as the episode can fire.
     */
    private long[] episode(long[] open, long windowStart, long now, long windowDays) {
        if (open != null && now < open[1]) {
            return open;
        }
        return new long[] {windowStart, startOfDay(dayOf.applyAsLong(now) + 1 + windowDays), 0};
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

    /** Days of rows kept: the longer window, plus the look-back and confirmation that reach before it. */
    private static long retentionDays(EffectiveRule hub, EffectiveRule fr) {
        long windows = Math.max(hub.longParam("hubWindowDays"), fr.longParam("windowDays"));
        return windows + (long) Math.ceil(Math.max(hub.param("hubRecurringLookbackDays"),
                hub.param("hubConfirmDays"))) + 1;
    }

    private static long millis(EffectiveRule rule, String daysParam) {
        return Math.round(rule.param(daysParam) * DAY);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

}
