package fundwatch.topology.reservemisuse;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.paymentinstitution.ClearingDays;
import fundwatch.topology.paymentinstitution.DayKeys;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.Money;
import fundwatch.topology.support.SourcePartition;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D3c PAYMENT_RESERVE_MISUSE — 挪用备付金 (DETECTION.md; PBOC令〔2021〕第1号): client money leaving a payment
 * institution's PAYMENT_RESERVE accounts for the institution's own use. It reads the platform legs (clearing
 * payments touching registered accounts, already keyed by platform), so a reserve's outflow reaches its institution's
 * task without a repartition of its own. Per institution per Beijing day:
 * <ul>
 * <li>to merchants, customers and anyone outside: the reserve's job ({@link ReserveUse#OTHERS}); between reserve
 * accounts: client money stays in a reserve ({@link ReserveUse#RESERVE_MOVE});
 * <li>to an insider (RELATED_PARTY account, or any account of a party holding one) or into another platform's
 * registered accounts: misuse in full, judged on every such payment;
 * <li>to the institution's own accounts (or accounts of the party holding them): its fee income, allowed up to
 * {@code feeAllowanceShare} of the day's outflow to others. That outflow is only known once the day is over, so
 * this part is judged when the day closes (its end plus the grace period) — an early-morning fee draw is not held
 * against a day whose settlements come later.
 * </ul>
 * A finding at ≥ {@code minMisuseAmountMinor} of misuse; subject the institution.
 *
 * <p>A day is closed (judged in full, then forgotten; a leg for it is late) once every clearing partition has passed
 * its end + grace, and its per-payment verdicts go out once every partition has reached it ({@link ClearingDays}) —
 * the legs come with the partitions' progress marks ({@link PlatformLeg#progressMark}), as for D3a. Not on stream
 * time: the institution's task also reads custody and products, which a backlog replays ahead of the clearing feed,
 * and closing on stream time judged a day on part of its payments.
 */
public final class ReserveMisuseDetector implements Processor<String, PlatformLeg, String, Finding> {
    public static final String DETECTOR = DetectorDefaults.PAYMENT_RESERVE_MISUSE;

    private final String storeName;
    private final DayWindows windows;
    private final String topic;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, ReserveDay> store;
    private RuleBook rules;
    private RegistryView registry;
    private InsiderIndex insiders;
    private ClearingDays days;
    /** {@link ClearingDays#openFrom} when the days were last closed: the days before it are closed. */
    private long openFrom = Long.MIN_VALUE;

    public ReserveMisuseDetector(String storeName, DayWindows windows, String topic, FundwatchMetrics metrics) {
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
        this.insiders = InsiderIndex.from(context);
        this.days = new ClearingDays(windows, ChannelProgress.ofClearing(context.appConfigs(), metrics, DETECTOR));
        // When to look is stream time's business; what closes is decided by the clearing partitions' progress.
        context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, t -> closeDays());
    }

    @Override
    public void close() {
        days.close();
    }

    @Override
    public void process(Record<String, PlatformLeg> record) {
        PlatformLeg leg = record.value();
        days.see(SourcePartition.of(record.headers()), leg.eventTime());
        release();
        closeOnProgress();
        if (leg.isProgressMark()) {
            return;
        }
        if (leg.purpose() != AccountPurpose.PAYMENT_RESERVE || leg.direction() != PlatformLeg.Direction.OUT) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        long start = windows.windowStart(leg.eventTime());
        long end = windows.windowEnd(start);
        if (days.isLate(end, rule.minutesAsMillis("graceMinutes"))) {
            metrics.lateEvent(DETECTOR);
            return;
        }
        ReserveUse use = classify(leg);
        String key = DayKeys.key(start, leg.platformId());
        ReserveDay day = store.get(key);
        if (day == null) {
            day = ReserveDay.empty(leg.platformId(), start, end);
        }
        day = day.add(use, new EvidenceItem(topic, leg.paymentId(), leg.amountMinor(), leg.eventTime(),
                leg.counterpartyId()));
        store.put(key, day);
        boolean misuseAtOnce = use == ReserveUse.AFFILIATE || use == ReserveUse.OTHER_PLATFORM;
        if (rule.enabled() && days.isReleased(start) && misuseAtOnce) {
            Finding f = judge(leg.platformId(), day, rule, false);
            if (f != null) {
                context.forward(new Record<>(leg.platformId(), f, leg.eventTime()));
            }
        }
    }

    /** Where a reserve's payment went, from the registry (and its reverse, {@link InsiderIndex}). */
    ReserveUse classify(PlatformLeg leg) {
        String institution = leg.platformId();
        AccountRegistration to = registry.account(leg.counterpartyAccountId());
        if (to != null && to.getPurpose() == AccountPurpose.PAYMENT_RESERVE) {
            return ReserveUse.RESERVE_MOVE;
        }
        if (to != null && to.getPlatformId() != null) {
            if (!institution.equals(to.getPlatformId())) {
                return ReserveUse.OTHER_PLATFORM;
            }
            return to.getPurpose() == AccountPurpose.RELATED_PARTY ? ReserveUse.AFFILIATE : ReserveUse.OWN;
        }
        String party = leg.counterpartyPartyId() != null ? leg.counterpartyPartyId()
                : to == null ? null : to.getHolderPartyId();
        if (party == null) {
            return ReserveUse.OTHERS;
        }
        AccountRegistration reserve = registry.account(leg.accountId());
        if (reserve != null && party.equals(reserve.getHolderPartyId())) {
            return ReserveUse.OWN;
        }
        AccountPurpose held = insiders.heldFor(party, institution);
        if (held == null) {
            return ReserveUse.OTHERS;
        }
        return held == AccountPurpose.RELATED_PARTY ? ReserveUse.AFFILIATE : ReserveUse.OWN;
    }

    /**
     * @param closed whether the day is over: only then is money to its own accounts compared with the fee allowance
     * @return the finding, or null below the threshold
     */
    Finding judge(String institution, ReserveDay day, EffectiveRule rule, boolean closed) {
        long allowance = (long) Math.floor(rule.param("feeAllowanceShare") * day.othersSum());
        long own = day.sum(ReserveUse.OWN);
        long ownExcess = closed ? Math.max(0, own - allowance) : 0;
        long affiliate = day.sum(ReserveUse.AFFILIATE);
        long otherPlatform = day.sum(ReserveUse.OTHER_PLATFORM);
        long misuse = affiliate + otherPlatform + ownExcess;
        long min = rule.longParam("minMisuseAmountMinor");
        if (misuse < min) {
            return null;
        }
        long critical = rule.longParam("criticalAmountMinor");
        Severity severity = misuse >= critical ? Severity.CRITICAL : Severity.HIGH;
        double score = Math.min(1.0, 0.6 + 0.4 * misuse / (double) critical);
        String summary = String.format(Locale.ROOT,
                "支付机构 %s: 备付金当日流向自有/关联方/其他平台账户 %s, 超出手续费额度 (%s) 部分合计 %s (阈值 %s), "
                        + "涉嫌挪用备付金 / client reserve money put to the institution's own use: %s beyond the fee "
                        + "allowance of %s (to affiliates %s, to other platforms %s, to own accounts %s; limit %s a day)",
                institution, Money.format(affiliate + otherPlatform + own), Money.format(allowance),
                Money.format(misuse), Money.format(min), Money.format(misuse), Money.format(allowance),
                Money.format(affiliate), Money.format(otherPlatform), Money.format(own), Money.format(min));
        return new Finding(DETECTOR, institution, SubjectType.PLATFORM, institution, registry.regionOf(institution),
                day.use().windowStart(), day.use().windowEnd(), day.use().lastEventTime(), severity, score,
                metrics("misuseAmountMinor", misuse, "affiliateAmountMinor", affiliate,
                        "otherPlatformAmountMinor", otherPlatform, "ownUseAmountMinor", own,
                        "ownExcessAmountMinor", ownExcess, "feeAllowanceMinor", allowance,
                        "outflowToOthersMinor", day.othersSum(), "reserveMoveAmountMinor", day.reserveMoveSum(),
                        "misusePayments", day.count(ReserveUse.AFFILIATE) + day.count(ReserveUse.OTHER_PLATFORM)
                                + day.count(ReserveUse.OWN),
                        "dayClosed", closed ? 1 : 0),
                metrics("minMisuseAmountMinor", min, "criticalAmountMinor", critical,
                        "feeAllowanceShare", rule.param("feeAllowanceShare")),
                day.use().evidence(), rule.version(), summary, misuse, rule.param("reemitMinGrowth"));
    }

    /** Once the clearing progress enters a new day: the open verdicts of the days it has now reached, in day order. */
    private void release() {
        if (!days.hasNewDay()) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        for (Finding f : days.release(store, rule.enabled() ? day -> judge(day.use().subjectId(), day, rule, false)
                : null)) {
            context.forward(new Record<>(f.subjectId(), f, Math.max(f.lastEventTime(), f.windowStart())));
        }
    }

    /**
     * Closes the days as soon as the clearing progress passes a day's end + grace (once per day), not only when stream
     * time's punctuation next looks: the record that moves the progress may be the last one for a while.
     */
    private void closeOnProgress() {
        long from = days.openFrom(rules.rule(DETECTOR).minutesAsMillis("graceMinutes"));
        if (from > openFrom) {
            openFrom = from;
            closeDays();
        }
    }

    /** Days past their grace: judged in full (the fee allowance now known), then forgotten. */
    private void closeDays() {
        EffectiveRule rule = rules.rule(DETECTOR);
        for (KeyValue<String, ReserveDay> kv : days.pastGrace(store, rule.minutesAsMillis("graceMinutes"),
                day -> day.use().windowEnd())) {
            store.delete(kv.key);
            String institution = kv.value.use().subjectId();
            Finding f = rule.enabled() ? judge(institution, kv.value, rule, true) : null;
            if (f != null) {
                context.forward(new Record<>(institution, f, Math.max(f.lastEventTime(), f.windowStart())));
            }
        }
    }
}
