package fundwatch.topology.growth;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformStatus;
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
import fundwatch.topology.support.EpochDays;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.LedgerProgress;
import fundwatch.topology.support.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D6 RAPID_GROWTH (规模异常扩张) over each platform's custody movements, as a daily series per platform:
 * <ul>
 *   <li><b>inflow</b> — DEPOSIT credited to a LENDER account plus INVEST debited from one (a borrower's repayment
 *       top-up is not growth);</li>
 *   <li><b>new lenders</b> — lender parties (the party on a LENDER side of any movement) fundwatch sees on this
 *       platform for the first time. Each lender is remembered as two numbers ({@link LenderMark}); one with no
 *       open position that has not moved money for {@code lenderMemoryDays} (365) is forgotten at the next month
 *       close, so the memory is bounded by the lenders active within a year, and such a lender counts as new if
 *       it returns;</li>
 *   <li><b>outstanding</b> — principal invested by lenders (INVEST debited from a LENDER) minus principal returned
 *       to them (REPAY_PRINCIPAL credited to a LENDER), counted from the first movement fundwatch saw. It may start
 *       below zero when loans made before monitoring are repaid, but a month's <i>change</i> is exact, and that is
 *       what the shrink check compares. The lender count is the number of lenders whose monitored position is
 *       positive: lenders whose whole position predates monitoring are invisible to it.</li>
 * </ul>
 *
 * <p><b>Days close on stream time</b>: a day is final once stream time has passed its end by {@code graceMinutes};
 * a movement for a closed day is late, counted and dropped, so a verdict never depends on arrival order within
 * the grace period. <b>Month end</b> in a stream is the same rule: a calendar month (Beijing) closes when its last
 * day closes — stream time past midnight of the 1st of the next month plus the grace period — and its closing
 * levels are the base plus every day's change up to and including its last day.
 *
 * <p><b>Spurt (ACTIVE platforms, or unregistered ones)</b>, judged for each closed day d: the 7 days ending with d
 * against the 28 days before them. Inflow alerts when the week is at least 3 × the baseline's weekly average and at
 * least ¥1,000,000; new lenders when the week brings at least 3 × the weekly average and at least 100. No
 * baseline, no verdict: the platform must have been observed for 28 days (up to d); until it has been observed for
 * 35, the baseline is the observed part of the 28 days before the week (at least 21 days), averaged per day. Firing on consecutive
 * days stays one alert (revisions) until 28 days after the day it first fired.
 *
 * <p><b>Shrink requirement (RECTIFYING or WINDING_DOWN, status read from the registry when the month
 * closes)</b>: the closing outstanding balance or lender count above the previous month's closing level alerts,
 * one alert per platform and month. A month is compared only with a previous month-end fundwatch saw.
 */
public final class GrowthDetector implements Processor<String, CustodyTransaction, String, Finding> {
    static final String DETECTOR = DetectorDefaults.RAPID_GROWTH;
    private static final int MONTHS_KEPT = 13;

    private final String daysStoreName;
    private final String platformsStoreName;
    private final String lendersStoreName;
    private final String progressStoreName;
    private final String topic;
    private final ZoneId zone;
    private final EpochDays epochDays;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, GrowthDay> days;
    private KeyValueStore<String, PlatformGrowth> platforms;
    private KeyValueStore<String, LenderMark> lenders;
    private RuleBook rules;
    private RegistryView registry;
    private LedgerProgress progress;
    private long quietClosedDay = Long.MIN_VALUE;

    public GrowthDetector(String daysStore, String platformsStore, String lendersStore, String progressStore,
            String topic, ZoneId zone, FundwatchMetrics metrics) {
        this.daysStoreName = daysStore;
        this.platformsStoreName = platformsStore;
        this.lendersStoreName = lendersStore;
        this.progressStoreName = progressStore;
        this.topic = topic;
        this.zone = zone;
        this.epochDays = EpochDays.of(zone);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.days = context.getStateStore(daysStoreName);
        this.platforms = context.getStateStore(platformsStoreName);
        this.lenders = context.getStateStore(lendersStoreName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        this.progress = new LedgerProgress(context.getStateStore(progressStoreName));
        context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::closeQuiet);
    }

    @Override
    public void process(Record<String, CustodyTransaction> record) {
        CustodyTransaction tx = record.value();
        String platformId = tx.getPlatformId();
        long t = tx.getEventTime().toEpochMilli();
        // Every movement of the platform's ledger is progress (LedgerProgress): it closes the days it has passed.
        long before = progress.platform(platformId);
        long after = progress.advance(platformId, before, t);
        boolean lenderCredited = tx.getCreditRole() == AccountRole.LENDER;
        boolean lenderDebited = tx.getDebitRole() == AccountRole.LENDER;
        if (!lenderCredited && !lenderDebited) {
            closeDue(platformId, null, after);
            return;
        }
        long amount = tx.getAmountMinor();
        boolean inflow = (tx.getType() == TxType.DEPOSIT && lenderCredited)
                || (tx.getType() == TxType.INVEST && lenderDebited);
        long invested = tx.getType() == TxType.INVEST && lenderDebited ? amount : 0;
        long returned = tx.getType() == TxType.REPAY_PRINCIPAL && lenderCredited ? amount : 0;
        long day = dayOf(t);
        PlatformGrowth platform = platforms.get(platformId);
        if (platform == null) {
            platform = new PlatformGrowth();
        }
        if (day <= platform.lastClosedDay) {
            // Its day has been judged: counting it now would make the verdict depend on arrival order.
            metrics.lateEvent(DETECTOR);
            closeDue(platformId, platform, after);
            return;
        }
        if (platform.firstDay == Long.MIN_VALUE || day < platform.firstDay) {
            platform.firstDay = day;
            platforms.put(platformId, platform);
        }
        String dayKey = GrowthKeys.day(platformId, day);
        GrowthDay bucket = days.get(dayKey);
        if (bucket == null) {
            bucket = new GrowthDay();
        }
        if (lenderDebited) {
            touchLender(platformId, tx.getDebitPartyId(), day, invested, bucket);
        }
        if (lenderCredited && !(lenderDebited && tx.getCreditPartyId() != null
                && tx.getCreditPartyId().equals(tx.getDebitPartyId()))) {
            touchLender(platformId, tx.getCreditPartyId(), day, -returned, bucket);
        }
        bucket.outstandingChangeMinor = Math.addExact(bucket.outstandingChangeMinor, invested - returned);
        if (inflow) {
            bucket.inflowMinor = Math.addExact(bucket.inflowMinor, amount);
            bucket.evidence = keepLargest(bucket.evidence,
                    new EvidenceItem(topic, tx.getEventId(), amount, t, tx.getCreditAccountId()),
                    GrowthDay.EVIDENCE_PER_DAY);
        }
        bucket.lastEventTime = Math.max(bucket.lastEventTime, t);
        days.put(dayKey, bucket);
        closeDue(platformId, platform, after);
    }

    /** Closes the platform's days that its ledger has passed (plus grace), or the task's by maxLedgerDelay. */
    private void closeDue(String platformId, PlatformGrowth known, long platformProgress) {
        EffectiveRule rule = rules.rule(DETECTOR);
        long grace = rule.minutesAsMillis("graceMinutes");
        long delay = rule.minutesAsMillis("maxLedgerDelayMinutes");
        long own = platformProgress == Long.MIN_VALUE ? Long.MIN_VALUE : dayOf(platformProgress - grace) - 1;
        long quiet = progress.quietHorizon(grace, delay);
        long closed = Math.max(own, quiet == Long.MIN_VALUE ? Long.MIN_VALUE : dayOf(quiet) - 1);
        PlatformGrowth platform = known;
        if (platform == null) {
            if (closed == Long.MIN_VALUE) {
                return;
            }
            platform = platforms.get(platformId);
        }
        if (platform == null || platform.lastClosedDay >= closed || platform.firstDay > closed
                || platform.firstDay == Long.MIN_VALUE) {
            return;
        }
        close(platformId, platform, closed, rule);
        platforms.put(platformId, platform);
    }

    /** Marks a lender as seen and moves its position; the day's counts follow its transitions. */
    private void touchLender(String platformId, String partyId, long day, long positionChange, GrowthDay bucket) {
        if (partyId == null) {
            return;
        }
        String key = GrowthKeys.lender(platformId, partyId);
        LenderMark mark = lenders.get(key);
        if (mark == null) {
            bucket.newLenders++;
            mark = new LenderMark(0, day);
        }
        long after = mark.o() + positionChange;
        if (mark.o() <= 0 && after > 0) {
            bucket.positiveLendersChange++;
        } else if (mark.o() > 0 && after <= 0) {
            bucket.positiveLendersChange--;
        }
        lenders.put(key, new LenderMark(after, Math.max(mark.s(), day)));
    }

    /**
     * Platforms whose ledgers went quiet: their days close once the task's custody input is maxLedgerDelayMinutes
     * past them. Scans the platforms only when that horizon reaches a new day.
     */
    private void closeQuiet(long streamTime) {
        EffectiveRule rule = rules.rule(DETECTOR);
        long quiet = progress.quietHorizon(rule.minutesAsMillis("graceMinutes"),
                rule.minutesAsMillis("maxLedgerDelayMinutes"));
        if (quiet == Long.MIN_VALUE || dayOf(quiet) - 1 <= quietClosedDay) {
            return;
        }
        quietClosedDay = dayOf(quiet) - 1;
        List<KeyValue<String, PlatformGrowth>> all = new ArrayList<>();
        try (KeyValueIterator<String, PlatformGrowth> it = platforms.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, PlatformGrowth> kv : all) {
            closeDue(kv.key, kv.value, progress.platform(kv.key));
        }
    }

    private void close(String platformId, PlatformGrowth platform, long closed, EffectiveRule rule) {
        TreeMap<Long, GrowthDay> series = load(platformId);
        long from = platform.lastClosedDay == Long.MIN_VALUE ? platform.firstDay : platform.lastClosedDay + 1;
        Platform registered = registry.platform(platformId);
        PlatformStatus status = registered == null ? PlatformStatus.ACTIVE : registered.getStatus();
        String region = registered == null ? null : registered.getRegionCode();
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        for (long d = Math.max(from, closed - windowDays + 1); d <= closed; d++) {
            if (status == PlatformStatus.ACTIVE) {
                emit(rule, spurt(platformId, region, platform, series, d, rule));
            }
        }
        for (long d = from; d <= closed; d++) {
            LocalDate date = LocalDate.ofEpochDay(d);
            if (date.getDayOfMonth() == date.lengthOfMonth()) {
                emit(rule, monthEnd(platformId, region, status, platform, series, date, rule));
                forgetQuietLenders(platformId, d, rule);
            }
        }
        platform.lastClosedDay = closed;
        long keep = Math.max(rule.longParam("seriesRetentionDays"),
                rule.longParam("baselineDays") + windowDays);
        for (Map.Entry<Long, GrowthDay> old : series.headMap(closed - keep, true).entrySet()) {
            platform.outstandingBaseMinor += old.getValue().outstandingChangeMinor;
            platform.positiveLendersBase += old.getValue().positiveLendersChange;
            days.delete(GrowthKeys.day(platformId, old.getKey()));
        }
    }

    private void emit(EffectiveRule rule, Finding f) {
        if (f != null && rule.enabled()) {
            context.forward(new Record<>(f.subjectId(), f, f.lastEventTime()));
        }
    }

    private Finding spurt(String platformId, String region, PlatformGrowth platform, TreeMap<Long, GrowthDay> series,
            long d, EffectiveRule rule) {
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        long baselineDays = Math.max(1, rule.longParam("baselineDays"));
        long weekFrom = d - windowDays + 1;
        // No baseline, no verdict — DETECTION.md D6: fewer than 28 days of observed history. With 28 days or more
        // (not 28 + 7) the week is judged against the part of the 28 days before it that was observed, averaged
        // per day: requiring a full 28 days before the week held a spurt starting on day 29 back until day 35.
        if (d - platform.firstDay + 1 < baselineDays) {
            return null;
        }
        long baseFrom = Math.max(weekFrom - baselineDays, platform.firstDay);
        long observedBaseDays = weekFrom - baseFrom;
        if (observedBaseDays <= 0) {
            return null;
        }
        long weekInflow = 0;
        long weekNew = 0;
        long lastEvent = 0;
        List<EvidenceItem> evidence = new ArrayList<>();
        for (GrowthDay g : series.subMap(weekFrom, true, d, true).values()) {
            weekInflow += g.inflowMinor;
            weekNew += g.newLenders;
            lastEvent = Math.max(lastEvent, g.lastEventTime);
            for (EvidenceItem e : g.evidence) {
                evidence = keepLargest(evidence, e, WindowState.MAX_EVIDENCE);
            }
        }
        long baseInflow = 0;
        long baseNew = 0;
        for (GrowthDay g : series.subMap(baseFrom, true, weekFrom, false).values()) {
            baseInflow += g.inflowMinor;
            baseNew += g.newLenders;
        }
        double perWeek = windowDays / (double) observedBaseDays;
        double avgInflow = baseInflow * perWeek;
        double avgNew = baseNew * perWeek;
        double ratioLimit = rule.param("growthRatio");
        long minInflow = rule.longParam("minInflowMinor");
        long minNew = rule.longParam("minNewLenders");
        double inflowRatio = ratio(weekInflow, avgInflow);
        double newRatio = ratio(weekNew, avgNew);
        boolean inflowHit = weekInflow >= minInflow && inflowRatio >= ratioLimit;
        boolean lendersHit = weekNew >= minNew && newRatio >= ratioLimit;
        if (!inflowHit && !lendersHit) {
            return null;
        }
        double observed = Math.max(inflowHit ? inflowRatio : 0, lendersHit ? newRatio : 0);
        long dayEnd = startOfDay(d + 1);
        long[] episode = platform.episode != null && dayEnd <= platform.episode[1] ? platform.episode
                : new long[] {startOfDay(weekFrom), dayEnd + Duration.ofDays(baselineDays).toMillis(), -1};
        Severity severity = observed >= rule.param("highRatio") ? Severity.HIGH : Severity.MEDIUM;
        if (episode[2] > severity.ordinal()) {
            severity = Severity.values()[(int) episode[2]];
        }
        episode[2] = severity.ordinal();
        platform.episode = episode;
        String summary = String.format(Locale.ROOT,
                "平台 %s: 近 %d 日资金流入 %s (前 %d 日周均 %s 的 %.1f 倍), 新增出借人 %d (周均 %.0f 的 %.1f 倍), 规模异常扩张 / "
                        + "platform %s took in %s in %d days (%.1f × its %d-day weekly average of %s) from %d new "
                        + "lenders (%.1f × the average %.0f); limit: %.1f × and ¥%s or %d new lenders",
                platformId, windowDays, Money.format(weekInflow), baselineDays, Money.format(Math.round(avgInflow)),
                inflowRatio, weekNew, avgNew, newRatio,
                platformId, Money.format(weekInflow), windowDays, inflowRatio, baselineDays,
                Money.format(Math.round(avgInflow)), weekNew, newRatio, avgNew, ratioLimit,
                Money.format(minInflow).substring(1), minNew);
        return new Finding(DETECTOR, platformId, SubjectType.PLATFORM, platformId, region, episode[0], episode[1],
                lastEvent, severity, Math.min(1.0, 0.4 + 0.05 * observed),
                metrics("weekInflowMinor", weekInflow, "baselineWeeklyInflowMinor", avgInflow,
                        "inflowRatio", inflowRatio, "weekNewLenders", weekNew, "baselineWeeklyNewLenders", avgNew,
                        "newLenderRatio", newRatio),
                metrics("growthRatio", ratioLimit, "minInflowMinor", minInflow, "minNewLenders", minNew,
                        "windowDays", windowDays, "baselineDays", baselineDays),
                evidence, rule.version(), summary, Math.max(weekInflow, weekNew), rule.param("reemitMinGrowth"));
    }

    /** A week against a baseline average; with no baseline flow at all the ratio is reported as 1 000. */
    private static double ratio(long week, double average) {
        if (average <= 0) {
            return week > 0 ? 1_000 : 0;
        }
        return Math.min(1_000, week / average);
    }

    private Finding monthEnd(String platformId, String region, PlatformStatus status, PlatformGrowth platform,
            TreeMap<Long, GrowthDay> series, LocalDate lastDay, EffectiveRule rule) {
        YearMonth month = YearMonth.from(lastDay);
        int key = month.getYear() * 100 + month.getMonthValue();
        long[] levels = GrowthSeries.levelsAt(platform, series, lastDay.toEpochDay());
        platform.monthEnds.put(key, levels);
        while (platform.monthEnds.size() > MONTHS_KEPT) {
            platform.monthEnds.pollFirstEntry();
        }
        YearMonth prevMonth = month.minusMonths(1);
        long[] prev = platform.monthEnds.get(prevMonth.getYear() * 100 + prevMonth.getMonthValue());
        if (prev == null || (status != PlatformStatus.RECTIFYING && status != PlatformStatus.WINDING_DOWN)) {
            return null;
        }
        boolean balanceUp = levels[0] > prev[0];
        boolean lendersUp = levels[1] > prev[1];
        if (!balanceUp && !lendersUp) {
            return null;
        }
        long from = month.atDay(1).toEpochDay();
        List<EvidenceItem> evidence = new ArrayList<>();
        long lastEvent = 0;
        for (GrowthDay g : series.subMap(from, true, lastDay.toEpochDay(), true).values()) {
            lastEvent = Math.max(lastEvent, g.lastEventTime);
            for (EvidenceItem e : g.evidence) {
                evidence = keepLargest(evidence, e, WindowState.MAX_EVIDENCE);
            }
        }
        long growth = Math.max(0, levels[0] - prev[0]);
        String summary = String.format(Locale.ROOT,
                "%s 平台 %s (%s): %s 月末待收余额 %s (上月末 %s), 出借人 %d (上月末 %d), 未按整改要求压降 / "
                        + "%s platform %s closed %s with %s outstanding (previous month end: %s) and %d lenders "
                        + "(previous: %d); a platform under rectification must shrink month over month",
                status, platformId, status, month, Money.format(levels[0]), Money.format(prev[0]), levels[1], prev[1],
                status, platformId, month, Money.format(levels[0]), Money.format(prev[0]), levels[1], prev[1]);
        return new Finding(DETECTOR, platformId, SubjectType.PLATFORM, platformId, region,
                startOfDay(from), startOfDay(lastDay.toEpochDay() + 1), lastEvent == 0 ? startOfDay(from) : lastEvent,
                Severity.HIGH, 0.8,
                metrics("outstandingMinor", levels[0], "previousOutstandingMinor", prev[0],
                        "outstandingIncreaseMinor", levels[0] - prev[0],
                        "positiveLenders", levels[1], "previousPositiveLenders", prev[1]),
                metrics("maxMonthOverMonthIncrease", 0),
                evidence, rule.version(), summary, growth, rule.param("reemitMinGrowth"));
    }

    /** Drops lenders with no open position that have not moved money for {@code lenderMemoryDays}. */
    private void forgetQuietLenders(String platformId, long today, EffectiveRule rule) {
        long cutoff = today - rule.longParam("lenderMemoryDays");
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, LenderMark> it = lenders.prefixScan(GrowthKeys.dayPrefix(platformId),
                new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, LenderMark> kv = it.next();
                if (kv.value.o() <= 0 && kv.value.s() < cutoff) {
                    forget.add(kv.key);
                }
            }
        }
        forget.forEach(lenders::delete);
    }

    private TreeMap<Long, GrowthDay> load(String platformId) {
        TreeMap<Long, GrowthDay> series = new TreeMap<>();
        try (KeyValueIterator<String, GrowthDay> it = days.prefixScan(GrowthKeys.dayPrefix(platformId),
                new StringSerializer())) {
            it.forEachRemaining(kv -> series.put(GrowthKeys.dayOf(kv.key), kv.value));
        }
        return series;
    }

    static List<EvidenceItem> keepLargest(List<EvidenceItem> list, EvidenceItem item, int max) {
        List<EvidenceItem> out = new ArrayList<>(list);
        if (out.stream().noneMatch(e -> e.eventId().equals(item.eventId()))) {
            out.add(item);
        }
        out.sort(EvidenceItem.LARGEST_FIRST);
        return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
    }

    private long dayOf(long t) {
        return epochDays.applyAsLong(t);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
