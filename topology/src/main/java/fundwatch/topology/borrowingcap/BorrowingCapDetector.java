package fundwatch.topology.borrowingcap;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D7 BORROWING_CAP (借款限额, interim measures art. 17), per borrower party across every platform — the check only
 * a regulator can make, since each platform sees its own loans only. Input is repartitioned by borrower party.
 *
 * <p><b>Outstanding</b> per (party, platform): INVEST credited to the party's BORROWER account (only that is
 * lending: money moved into a platform's own account is pooling, D1) minus REPAY_PRINCIPAL debited from it, never
 * below zero — principal repaid on a loan made before monitoring began cannot hide a new one. The total across
 * platforms is the sum of those. Caps: per platform ¥200,000 (individual) / ¥1,000,000 (corporate), across all
 * platforms ¥1,000,000 / ¥5,000,000; an amount strictly above the cap breaches it.
 *
 * <p><b>Party type</b> comes from the clearing network: the payer/payee party type of payments that name the
 * party (a loan is disbursed to the borrower's own bank account and repaid from it, so the type arrives with the
 * first disbursement or repayment). Every type received is kept ({@code typesStore}, one short entry per party:
 * the hub detector already keeps far more per account), so a type seen before the party's first loan applies to
 * it, and the clearing side need only send a type when it changes. INDIVIDUAL, once seen, sticks (the stricter
 * cap wins a conflict). A party no payment has typed yet is judged by the individual caps — the law's default
 * (art. 17 caps a natural person unless it is shown to be a legal person) — but while it owes more than an
 * individual cap that verdict is <b>held</b> until {@code unknownTypeHoldDays} (default 10) after the loan's
 * disbursement (custody LOAN_DISBURSEMENT from its BORROWER account): a company's loan passes ¥200,000 while it is
 * still raising money, for weeks on a thin platform, and its type arrives with the clearing payment of the
 * disbursement. Without a disbursement the verdict stays held (judging a raise still under way by the individual
 * caps flagged 23 honest borrowers in a thin 40-day market). Above the corporate caps it breaches whatever its
 * type, so that alerts at once. A type arriving within the hold decides; once the hold has passed untyped, the
 * individual caps apply (checked by the
 * party's next movement or by a stream-time punctuator over a time-ordered index of held parties, kept in the
 * types store under a reserved prefix so each check touches only what is due).
 *
 * <p><b>Alerts</b>: subject the borrower party (PARTY); {@code platformId} set for a per-platform breach, null for
 * the cross-platform one. A breach episode runs from the movement that took the balance over the cap until it is
 * back within it; its alert window is [the platform's newest loan movement when the breach is found, +365 days) per platform and [that movement, +730 days)
 * across platforms — so the two alertIds differ even when one movement breaches both. More borrowing within an
 * episode is a revision (from 25 % growth); severity CRITICAL from twice the cap.
 */
public final class BorrowingCapDetector implements Processor<String, BorrowingMove, String, Finding> {
    static final String DETECTOR = DetectorDefaults.BORROWING_CAP;
    static final String ALL_PLATFORMS = "*";
    private static final long PLATFORM_WINDOW = Duration.ofDays(365).toMillis();
    private static final long CROSS_WINDOW = Duration.ofDays(730).toMillis();
    /** Reserved key prefix in the types store: the index of held verdicts, by due time (party ids never start so). */
    static final String HELD = "\u0001held|";
    /**
     * How far the types input (clearing payments naming a party's type) has come in this task: a hold ends on it, not
     * on stream time or a later loan's time — in a backlog the custody input runs days ahead of the types, and a hold
     * ended by it would judge by the individual caps a company whose type is still on its way.
     */
    static final String TYPES_PROGRESS = "\u0002types-progress";
    private static final long HOUR_MILLIS = 3_600_000L;

    private final String storeName;
    private final String typesStoreName;
    private final String topic;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, BorrowerState> store;
    private KeyValueStore<String, String> types;
    private RuleBook rules;
    private RegistryView registry;

    public BorrowingCapDetector(String storeName, String typesStoreName, String topic) {
        this.storeName = storeName;
        this.typesStoreName = typesStoreName;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.types = context.getStateStore(typesStoreName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, t -> releaseHolds(typesProgress()));
    }

    @Override
    public void process(Record<String, BorrowingMove> record) {
        BorrowingMove m = record.value();
        BorrowerState s = store.get(m.partyId());
        if (BorrowingMove.TYPE.equals(m.kind())) {
            long progress = typesProgress();
            if (m.eventTime() > progress) {
                types.put(TYPES_PROGRESS, Long.toString(m.eventTime()));
                if (progress == Long.MIN_VALUE || m.eventTime() / HOUR_MILLIS > progress / HOUR_MILLIS) {
                    releaseHolds(m.eventTime()); // once an hour of the types input: holds end on its progress
                }
            }
            String known = types.get(m.partyId());
            String type = "INDIVIDUAL".equals(known) ? known : m.partyType();
            if (!type.equals(known)) {
                types.put(m.partyId(), type);
            }
            if (s == null || "INDIVIDUAL".equals(s.partyType) || type.equals(s.partyType)) {
                return; // not a borrower (yet), or nothing new
            }
            s.partyType = type;
            store.put(m.partyId(), s);
            judge(m.partyId(), s, List.copyOf(s.outstanding.keySet()), m.eventTime());
            store.put(m.partyId(), s);
            return;
        }
        if (BorrowingMove.DISBURSED.equals(m.kind())) {
            if (s != null && s.partyType == null && !s.individualByDefault) {
                s.disbursedAt = Math.max(s.disbursedAt == null ? Long.MIN_VALUE : s.disbursedAt, m.eventTime());
                s.untypedBreachSince = null; // re-armed from this disbursement if still above an individual cap
                judge(m.partyId(), s, List.copyOf(s.outstanding.keySet()), m.eventTime());
                store.put(m.partyId(), s);
            }
            return;
        }
        if (s == null) {
            if (BorrowingMove.REPAY.equals(m.kind())) {
                return; // repaying a loan fundwatch never saw
            }
            s = new BorrowerState();
            s.partyType = types.get(m.partyId()); // seen in an earlier payment, or null: unknown
        }
        String p = m.platformId();
        long before = s.outstanding.getOrDefault(p, 0L);
        long after = BorrowingMove.LEND.equals(m.kind()) ? Math.addExact(before, m.amountMinor())
                : Math.max(0, before - m.amountMinor());
        s.outstanding.put(p, after);
        s.lastEventTime.merge(p, m.eventTime(), Math::max);
        // One platform's movements of a party come through one custody partition, in its order: these moments are
        // the same however the inputs are interleaved.
        EffectiveRule current = rules.rule(DETECTOR);
        over(s.overIndividualCapSince, p, after, current.longParam("individualPlatformCapMinor"), m.eventTime());
        over(s.overCorporateCapSince, p, after, current.longParam("corporatePlatformCapMinor"), m.eventTime());
        over(s.holdingSince, p, after, 0, m.eventTime());
        if (BorrowingMove.LEND.equals(m.kind())) {
            s.loans.put(p, keepLargest(s.loans.getOrDefault(p, List.of()),
                    new EvidenceItem(topic, m.eventId(), m.amountMinor(), m.eventTime(), p)));
        }
        judge(m.partyId(), s, List.of(p), m.eventTime());
        if (s.total() == 0 && s.breachSince.isEmpty()) {
            store.delete(m.partyId()); // everything repaid: nothing left to watch
        } else {
            store.put(m.partyId(), s);
        }
    }

    private static void over(Map<String, Long> since, String platformId, long owed, long cap, long eventTime) {
        if (owed > cap) {
            since.putIfAbsent(platformId, eventTime);
        } else {
            since.remove(platformId);
        }
    }

    private void judge(String partyId, BorrowerState s, List<String> platforms, long now) {
        EffectiveRule rule = rules.rule(DETECTOR);
        if (s.partyType == null && !s.individualByDefault && s.untypedBreachSince != null
                && typesProgress() >= s.untypedBreachSince + holdMillis(rule)) {
            s.individualByDefault = true;
            platforms = List.copyOf(s.outstanding.keySet());
        }
        boolean individual = "INDIVIDUAL".equals(s.partyType) || (s.partyType == null && s.individualByDefault);
        if (s.partyType == null && !s.individualByDefault) {
            hold(partyId, s, rule, now);
        }
        long platformCap = rule.longParam(individual ? "individualPlatformCapMinor" : "corporatePlatformCapMinor");
        long totalCap = rule.longParam(individual ? "individualTotalCapMinor" : "corporateTotalCapMinor");
        for (String p : platforms) {
            long owed = s.outstanding.getOrDefault(p, 0L);
            check(partyId, s, p, owed, platformCap, s.loans.getOrDefault(p, List.of()), now, rule);
        }
        check(partyId, s, ALL_PLATFORMS, s.total(), totalCap, s.allLoans(), now, rule);
    }

    /** Starts (or ends) the hold of an untyped party's verdict by the individual caps. */
    private void hold(String partyId, BorrowerState s, EffectiveRule rule, long now) {
        long platformCap = rule.longParam("individualPlatformCapMinor");
        boolean above = s.total() > rule.longParam("individualTotalCapMinor")
                || s.outstanding.values().stream().anyMatch(v -> v > platformCap);
        if (!above || s.disbursedAt == null) {
            s.untypedBreachSince = null; // a stale index entry finds nothing held and is dropped
        } else if (s.untypedBreachSince == null) {
            s.untypedBreachSince = Math.max(now, s.disbursedAt);
            types.put(HELD + pad13(s.untypedBreachSince + holdMillis(rule)) + '|' + partyId, "");
        }
    }

    private long typesProgress() {
        String v = types.get(TYPES_PROGRESS);
        return v == null ? Long.MIN_VALUE : Long.parseLong(v);
    }

    /** Ends the holds that are due: untyped parties still above an individual cap are judged by the individual caps. */
    private void releaseHolds(long streamTime) {
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = types.range(HELD + pad13(0), HELD + pad13(streamTime) + '\uffff')) {
            while (it.hasNext()) {
                due.add(it.next().key);
            }
        }
        for (String key : due) {
            types.delete(key);
            String partyId = key.substring(HELD.length() + 14);
            BorrowerState s = store.get(partyId);
            if (s != null && s.partyType == null && !s.individualByDefault && s.untypedBreachSince != null) {
                judge(partyId, s, List.copyOf(s.outstanding.keySet()), streamTime);
                store.put(partyId, s);
            }
        }
    }

    private static long holdMillis(EffectiveRule rule) {
        return Math.round(rule.param("unknownTypeHoldDays") * 86_400_000d);
    }

    private static String pad13(long millis) {
        return String.format("%013d", Math.max(0, millis));
    }

    private void check(String partyId, BorrowerState s, String scope, long owed, long cap, List<EvidenceItem> loans,
            long now, EffectiveRule rule) {
        if (owed <= cap) {
            s.breachSince.remove(scope);
            return;
        }
        boolean cross = ALL_PLATFORMS.equals(scope);
        String platformId = cross ? null : scope;
        long last = cross ? s.lastEventTime.values().stream().mapToLong(Long::longValue).max().orElse(now)
                : s.lastEventTime.getOrDefault(scope, now);
        // The episode starts with the loan that took the balance over the cap (per platform), or with the latest
        // holding among those that make up the total (across platforms) — not with the payment that revealed the
        // type, nor with whichever movement happened to be read last: both depend on how the inputs interleave.
        long since = s.breachSince.computeIfAbsent(scope, k -> cross ? crossStart(s, last)
                : ("INDIVIDUAL".equals(s.partyType) ? s.overIndividualCapSince : s.overCorporateCapSince)
                        .getOrDefault(scope, last));
        double multiple = owed / (double) cap;
        Severity severity = multiple >= rule.param("criticalCapMultiple") ? Severity.CRITICAL : Severity.HIGH;
        List<EvidenceItem> evidence = new ArrayList<>(loans);
        evidence.sort(EvidenceItem.LARGEST_FIRST);
        String type = s.partyType != null ? s.partyType.toLowerCase(Locale.ROOT)
                : s.individualByDefault ? "type unknown after the hold, individual caps"
                : "type unknown, above the corporate caps";
        boolean individual = "INDIVIDUAL".equals(s.partyType) || (s.partyType == null && s.individualByDefault);
        Map<String, Double> observed = metrics("outstandingMinor", owed, "platforms", s.outstanding.values().stream()
                .filter(v -> v > 0).count(), "individual", individual ? 1 : 0,
                "partyTypeKnown", s.partyType == null ? 0 : 1);
        String summary = cross
                ? String.format(Locale.ROOT,
                        "借款人 %s 在 %d 个平台合计借款余额 %s, 超过跨平台上限 %s / borrower %s (%s) owes %s across %d "
                                + "platforms, above the cross-platform cap of %s",
                        partyId, observed.get("platforms").intValue(), Money.format(owed), Money.format(cap), partyId,
                        type, Money.format(owed), observed.get("platforms").intValue(), Money.format(cap))
                : String.format(Locale.ROOT,
                        "借款人 %s 在平台 %s 借款余额 %s, 超过单一平台上限 %s / borrower %s (%s) owes %s on platform %s, "
                                + "above the per-platform cap of %s",
                        partyId, scope, Money.format(owed), Money.format(cap), partyId, type, Money.format(owed), scope,
                        Money.format(cap));
        Finding f = new Finding(DETECTOR, partyId, SubjectType.PARTY, platformId,
                cross ? null : registry.regionOf(scope), since, since + (cross ? CROSS_WINDOW : PLATFORM_WINDOW), last,
                severity, Math.min(1.0, 0.6 + 0.2 * (multiple - 1)), observed,
                metrics("capMinor", cap, "criticalCapMultiple", rule.param("criticalCapMultiple")),
                evidence, rule.version(), summary, owed, rule.param("reemitMinGrowth"));
        if (rule.enabled()) {
            context.forward(new Record<>(partyId, f, last));
        }
    }

    /** The newest start of the holdings that make up the party's total: when the total took its present shape. */
    private static long crossStart(BorrowerState s, long fallback) {
        long start = Long.MIN_VALUE;
        for (Map.Entry<String, Long> e : s.outstanding.entrySet()) {
            if (e.getValue() > 0) {
                start = Math.max(start, s.holdingSince.getOrDefault(e.getKey(),
                        s.lastEventTime.getOrDefault(e.getKey(), fallback)));
            }
        }
        return start == Long.MIN_VALUE ? fallback : start;
    }

    private static List<EvidenceItem> keepLargest(List<EvidenceItem> list, EvidenceItem item) {
        List<EvidenceItem> out = new ArrayList<>(list);
        if (out.stream().noneMatch(e -> e.eventId().equals(item.eventId()))) {
            out.add(item);
        }
        out.sort(EvidenceItem.LARGEST_FIRST);
        return out.size() > WindowState.MAX_EVIDENCE ? new ArrayList<>(out.subList(0, WindowState.MAX_EVIDENCE)) : out;
    }
}
