package fundwatch.topology.unreconciled;

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
import fundwatch.topology.support.ChannelProgress;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.Money;
import fundwatch.topology.support.SourcePartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D3b UNRECONCILED_FLOW: the custody ledger and the money must agree. Each clearing payment into a platform's
 * custody account waits for a custody DEPOSIT of the same platform and amount (± tolerance) within the match
 * window of event time, in either order — on arrival only the same person's, at the deadline anyone's; each custody
 * WITHDRAWAL waits for its clearing payment out. Matched
 * pairs are deleted at once. An item still alone when both inputs have passed its time + window + grace is
 * unreconciled: it becomes evidence in the platform's finding for that day.
 *
 * <p>"Passed" is judged on event time and per-input progress only ({@link InputProgress}) — never on the wall
 * clock, stream time or the newest record seen: the custody ledger and the clearing feed reach this task through
 * two repartitions whose upstream partitions run days apart when a backlog is read, and a verdict passed while the
 * twin was still on its way through a slower partition flooded every platform with false alerts. The platform's
 * custody ledger must be past the deadline (or, quiet, its partition {@code maxLedgerDelayMinutes} past it) and every
 * clearing partition too. Waiting for both, not only for the input the twin comes from, makes the verdicts of one
 * platform come in event-time order, so the alert lifecycle sees the same sequence of findings — and gives the same
 * alertIds — whatever the order the two inputs were read in.
 *
 * <p>Pending items are kept in buckets of one platform, kind and amount ({@link ReconBucket}), so a twin is found
 * with a point lookup per candidate amount; an expiry index keyed {@code time|address} lets the expiry pass visit
 * only items that are due. A matched item's index entry is left to that pass (it finds the item gone).
 */
public final class ReconciliationProcessor implements Processor<String, ReconItem, String, Finding> {
    public static final String DETECTOR = DetectorDefaults.UNRECONCILED_FLOW;
    static final String CLEARING_WITHOUT_DEPOSIT = "clearingWithoutDeposit";
    static final String WITHDRAWAL_WITHOUT_CLEARING = "withdrawalWithoutClearing";

    private final String pendingStoreName;
    private final String expiryStoreName;
    private final String windowStoreName;
    private final DayWindows windows;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, ReconBucket> pending;
    private KeyValueStore<String, String> expiry;
    private KeyValueStore<String, WindowState> findings;
    private RuleBook rules;
    private RegistryView registry;
    /** How far each input has come; kept in the expiry store (beyond its numeric keys) at each pass. */
    private InputProgress progress;
    /** Clearing partitions not seen yet, as last reported to the gauge: while any is, no verdict is made. */
    private int reportedUnseen;
    /** Partitions of the custody and clearing input topics, set by the runtime (absent: as seen, as in a test driver). */
    public static final String CUSTODY_CHANNELS_CONFIG = "fundwatch.input.partitions.custody";
    public static final String CLEARING_CHANNELS_CONFIG = ChannelProgress.CLEARING_CHANNELS_CONFIG;
    /** Keys of earlier builds, which judged on the newest record of each input; removed at start. */
    private static final String[] LEGACY_WATERMARKS = {"~watermark|custody", "~watermark|clearing"};
    /**
     * The expiry index is split by whose progress decides an item: a clearing item waits for custody's horizon, a
     * custody item for clearing's. Each part is scanned only up to its own horizon, so an item is visited once,
     * when it is due, not on every pass while the other input lags (the replay profile found expire re-reading
     * the same waiting items pass after pass). Keys without a prefix are the single index of earlier builds.
     */
    static final String DECIDED_BY_CUSTODY = "c|";
    /** Separates the parts of a pending address; platform and event ids may contain '|'. */
    static final char SEP = '\u001f';
    static final String DECIDED_BY_CLEARING = "l|";
    /**
     * How far an input must move (event time) before another expiry pass: verdicts wait up to this much past their
     * deadline (2 h window + 1 h grace). A pass per minute cost a RocksDB seek per index part every few events
     * when a thin feed was replayed as a backlog.
     */
    private static final long EXPIRY_STEP_MS = 600_000;
    private long lastScanTo = Long.MIN_VALUE / 2;
    /** Per index part (keyed by its lowest key): no entry below this key is left. In memory; a restart rescans once. */
    private final Map<String, String> floors = new HashMap<>();
    private static final long PURGE_STEP_MS = 3_600_000;
    private long lastPurge = Long.MIN_VALUE / 2;

    public ReconciliationProcessor(String pendingStoreName, String expiryStoreName, String windowStoreName,
            DayWindows windows, FundwatchMetrics metrics) {
        this.pendingStoreName = pendingStoreName;
        this.expiryStoreName = expiryStoreName;
        this.windowStoreName = windowStoreName;
        this.windows = windows;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStoreName);
        this.expiry = context.getStateStore(expiryStoreName);
        this.findings = context.getStateStore(windowStoreName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
        this.progress = new InputProgress(channels(CLEARING_CHANNELS_CONFIG), channels(CUSTODY_CHANNELS_CONFIG));
        try (KeyValueIterator<String, String> it = expiry.range(InputProgress.KEY_PREFIX,
                InputProgress.KEY_PREFIX + '\uffff')) {
            it.forEachRemaining(kv -> progress.restore(kv.key, kv.value));
        }
        for (String legacy : LEGACY_WATERMARKS) {
            if (expiry.get(legacy) != null) {
                expiry.delete(legacy);
            }
        }
        // No punctuator: verdicts follow the inputs' progress, which only records move (see advance).
        reportedUnseen = progress.unseenClearing();
        metrics.unseenClearingPartitions(DETECTOR, this, reportedUnseen);
    }

    @Override
    public void close() {
        metrics.forgetClearingTask(DETECTOR, this);
    }

    private int channels(String key) {
        Object v = context.appConfigs().get(key);
        return v == null ? 0 : Integer.parseInt(v.toString());
    }

    /** How far both inputs are complete, for every platform at best: no item at or after it can be decided. */
    private long scanTo(long wait) {
        long to = Math.min(progress.clearing(), progress.custodyCeiling());
        return to == Long.MIN_VALUE ? Long.MIN_VALUE : to - wait;
    }

    /** @return whether the inputs moved far enough since the last pass for another one */
    private boolean advance(ReconItem item, int channel, long wait) {
        if (item.kind().fromClearing()) {
            progress.clearing(channel, item.eventTime());
            if (reportedUnseen > 0 && progress.unseenClearing() != reportedUnseen) {
                reportedUnseen = progress.unseenClearing();
                metrics.unseenClearingPartitions(DETECTOR, this, reportedUnseen);
            }
        } else {
            progress.custody(item.platformId(), channel, item.eventTime());
        }
        return scanTo(wait) >= lastScanTo + EXPIRY_STEP_MS;
    }

    @Override
    public void process(Record<String, ReconItem> record) {
        ReconItem item = record.value();
        EffectiveRule current = rules.rule(DETECTOR);
        long wait = current.minutesAsMillis("matchWindowMinutes") + current.minutesAsMillis("graceMinutes");
        if (advance(item, SourcePartition.of(record.headers()), wait)) {
            expire(current);
        }
        if (item.kind().isProgressOnly()) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        if (context.currentStreamTimeMs() > item.eventTime() + rule.minutesAsMillis("matchWindowMinutes")
                + rule.minutesAsMillis("graceMinutes")) {
            // Still matched if its twin is pending; otherwise the next expiry pass reports it.
            metrics.lateEvent(DETECTOR);
        }
        String twin = findTwin(item, rule, true);
        if (twin != null) {
            // Its expiry entry stays: the pass that reaches it finds the item gone. Deleting it now would leave a
            // tombstone ahead of the scans, which every pass until compaction would walk.
            remove(twin);
            return;
        }
        String key = pendingKey(item.platformId(), item.kind(), item.amountMinor(), item.eventTime(), item.eventId());
        add(key, item);
        String indexKey = expiryKey(item, key);
        expiry.put(indexKey, key);
        kept(indexKey);
    }

    /**
     * @param samePerson  only a twin whose counterparty is this item's (or unknown). On arrival a payment takes only
     *                    its own person's deposit: another's may be waiting for a payment still on its way, and taken
     *                    now it would leave that payment alone. Any person's twin is taken at the deadline only.
     */
    private String findTwin(ReconItem item, EffectiveRule rule, boolean samePerson) {
        long window = rule.minutesAsMillis("matchWindowMinutes");
        long tolerance = rule.longParam("amountToleranceMinor");
        ReconItem.Kind kind = item.kind().twin();
        String best = null;
        long bestDistance = Long.MAX_VALUE;
        for (long amount = Math.max(1, item.amountMinor() - tolerance); amount <= item.amountMinor() + tolerance;
                amount++) {
            String bucketKey = bucketKey(item.platformId(), kind, amount);
            ReconBucket bucket = pending.get(bucketKey);
            if (bucket == null) {
                continue;
            }
            for (ReconItem candidate : bucket.items()) {
                if (Math.abs(candidate.eventTime() - item.eventTime()) > window) {
                    continue;
                }
                // Round sums (¥20,000 top-ups an hour apart) paired crosswise when one input ran ahead, and
                // the pair left over fell outside the window: a person's payment waits for that person's deposit.
                boolean otherPerson = candidate.counterpartyId() != null && item.counterpartyId() != null
                        && !candidate.counterpartyId().equals(item.counterpartyId());
                if (samePerson && otherPerson) {
                    continue;
                }
                // The same person first, then the closest in amount, then in time, then the id: whatever the
                // arrival order.
                long distance = (otherPerson ? (2 * tolerance + 1) * (4 * window + 1) : 0)
                        + Math.abs(candidate.amountMinor() - item.amountMinor()) * (4 * window + 1)
                        + Math.abs(candidate.eventTime() - item.eventTime());
                String address = bucketKey + SEP + candidate.eventId();
                if (distance < bestDistance || (distance == bestDistance && address.compareTo(best) < 0)) {
                    bestDistance = distance;
                    best = address;
                }
            }
        }
        return best;
    }

    /** The pending item at an address ({@code bucket key, SEP, event id}), or null once matched or expired. */
    private ReconItem get(String address) {
        int cut = address.lastIndexOf(SEP);
        ReconBucket bucket = pending.get(address.substring(0, cut));
        return bucket == null ? null : bucket.find(address.substring(cut + 1));
    }

    private ReconItem remove(String address) {
        int cut = address.lastIndexOf(SEP);
        String bucketKey = address.substring(0, cut);
        ReconBucket bucket = pending.get(bucketKey);
        ReconItem item = bucket == null ? null : bucket.find(address.substring(cut + 1));
        if (item != null) {
            ReconBucket rest = bucket.without(item.eventId());
            if (rest.items().isEmpty()) {
                pending.delete(bucketKey);
            } else {
                pending.put(bucketKey, rest);
            }
        }
        return item;
    }

    private void add(String address, ReconItem item) {
        String bucketKey = address.substring(0, address.lastIndexOf(SEP));
        ReconBucket bucket = pending.get(bucketKey);
        pending.put(bucketKey, bucket == null ? new ReconBucket(List.of(item)) : bucket.with(item));
    }

    /**
     * Collects the index entries in [from, to), starting at the part's floor: every entry below it has been
     * deleted. Scanning from the part's start instead walked RocksDB's tombstones of every entry ever expired, on
     * every pass — most of the replay's CPU in the profile.
     */
    private void collect(List<KeyValue<String, String>> due, String from, String to) {
        String floor = floors.getOrDefault(from, from);
        String start = floor.compareTo(from) > 0 ? floor : from;
        if (start.compareTo(to) >= 0) {
            return;
        }
        try (KeyValueIterator<String, String> it = expiry.range(start, to)) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        // Until an entry of the pass is kept, the part is empty below `to`; processing lowers it where it keeps one.
        floors.put(from, to);
    }

    /** An entry the pass leaves in place (not yet decided): the part's floor may not pass it. */
    private void kept(String key) {
        String part = partOf(key);
        if (key.compareTo(floors.getOrDefault(part, part)) < 0) {
            floors.put(part, key);
        }
    }

    private static String partOf(String key) {
        if (key.startsWith(DECIDED_BY_CUSTODY)) {
            return DECIDED_BY_CUSTODY + pad13(0);
        }
        if (key.startsWith(DECIDED_BY_CLEARING)) {
            return DECIDED_BY_CLEARING + pad13(0);
        }
        return pad13(0);
    }

    private void expire(EffectiveRule rule) {
        long wait = rule.minutesAsMillis("matchWindowMinutes") + rule.minutesAsMillis("graceMinutes");
        long ledgerDelay = rule.minutesAsMillis("maxLedgerDelayMinutes");
        long clearingHorizon = progress.clearing() - wait;
        long scanTo = scanTo(wait);
        lastScanTo = scanTo;
        progress.flush(expiry::put);
        if (scanTo <= 0) {
            return;
        }
        List<KeyValue<String, String>> due = new ArrayList<>();
        // Progress keys start with '~', the two index parts with letters: none falls in a range of padded times.
        collect(due, pad13(0), pad13(scanTo));
        collect(due, DECIDED_BY_CUSTODY + pad13(0), DECIDED_BY_CUSTODY + pad13(scanTo));
        collect(due, DECIDED_BY_CLEARING + pad13(0), DECIDED_BY_CLEARING + pad13(scanTo));
        // In event-time order across the index parts (then by address): each platform's verdicts, and so its
        // findings, come in the same order however the inputs were interleaved.
        due.sort(java.util.Comparator.comparing(kv -> withoutPart(kv.key)));
        Map<String, Long> horizons = new HashMap<>();
        for (KeyValue<String, String> kv : due) {
            ReconItem item = get(kv.value);
            if (item != null) {
                long itsHorizon = horizons.computeIfAbsent(item.platformId(),
                        id -> Math.min(clearingHorizon, progress.custody(id, ledgerDelay) - wait));
                if (item.eventTime() >= itsHorizon) {
                    kept(kv.key);
                    continue;
                }
                if (!item.kind().alertsWhenUnmatched() && findTwin(item, rule, false) != null) {
                    // Another person's twin is still waiting: it may take this one at its own deadline.
                    kept(kv.key);
                    continue;
                }
                remove(kv.value);
            }
            expiry.delete(kv.key);
            if (item == null || !item.kind().alertsWhenUnmatched()) {
                continue;
            }
            // At its deadline an item takes a twin booked under another person, if one is still there (it may be
            // one whose own person's payment is late: the count stays right, the evidence may name the other).
            String twin = findTwin(item, rule, false);
            ReconItem other = twin == null ? null : remove(twin);
            if (other == null) {
                unreconciled(item, rule);
            }
        }
        purgeWindows(Math.min(clearingHorizon, progress.custodyFloor(ledgerDelay) - wait), rule);
    }

    private static String withoutPart(String indexKey) {
        return indexKey.startsWith(DECIDED_BY_CUSTODY) || indexKey.startsWith(DECIDED_BY_CLEARING)
                ? indexKey.substring(2) : indexKey;
    }

    private void unreconciled(ReconItem item, EffectiveRule rule) {
        long start = windows.windowStart(item.eventTime());
        String key = item.platformId() + "|" + start;
        WindowState state = findings.get(key);
        if (state == null) {
            state = WindowState.empty(item.platformId(), start, windows.windowEnd(start));
        }
        state = state.add(item.kind() == ReconItem.Kind.CLEARING_IN ? CLEARING_WITHOUT_DEPOSIT
                : WITHDRAWAL_WITHOUT_CLEARING,
                new EvidenceItem(item.topic(), item.eventId(), item.amountMinor(), item.eventTime(),
                        item.counterpartyId()));
        findings.put(key, state);
        if (rule.enabled()) {
            context.forward(new Record<>(item.platformId(),
                    finding(item.platformId(), registry.regionOf(item.platformId()), state, rule),
                    item.eventTime()));
        }
    }

    static Finding finding(String platformId, String regionCode, WindowState s, EffectiveRule rule) {
        long total = s.totalSum();
        long critical = rule.longParam("criticalDailyAmountMinor");
        long high = rule.longParam("highDailyAmountMinor");
        Severity severity = total >= critical ? Severity.CRITICAL : total >= high ? Severity.HIGH : Severity.MEDIUM;
        double score = Math.min(1.0, 0.4 + 0.6 * total / (double) critical);
        long inCount = s.count(CLEARING_WITHOUT_DEPOSIT);
        long outCount = s.count(WITHDRAWAL_WITHOUT_CLEARING);
        String window = (long) rule.param("matchWindowMinutes") + " min";
        String summary = String.format(Locale.ROOT, 
                "平台 %s: %d 笔入存管资金无对应存管入账, %d 笔存管提现无对应清算出款 (合计 %s, 匹配窗口 %s) / "
                        + "%d clearing payments into custody with no custody deposit and %d custody withdrawals "
                        + "with no clearing payment out (total %s, matched within %s)",
                platformId, inCount, outCount, Money.format(total), window, inCount, outCount, Money.format(total),
                window);
        return new Finding(DETECTOR, platformId, SubjectType.PLATFORM, platformId, regionCode,
                s.windowStart(), s.windowEnd(), s.lastEventTime(), severity, score,
                metrics("unreconciledAmountMinor", total, "unreconciledCount", s.totalCount(),
                        "clearingWithoutDepositCount", inCount,
                        "clearingWithoutDepositAmountMinor", s.sum(CLEARING_WITHOUT_DEPOSIT),
                        "withdrawalWithoutClearingCount", outCount,
                        "withdrawalWithoutClearingAmountMinor", s.sum(WITHDRAWAL_WITHOUT_CLEARING)),
                metrics("matchWindowMinutes", rule.param("matchWindowMinutes"),
                        "amountToleranceMinor", rule.param("amountToleranceMinor"),
                        "highDailyAmountMinor", high, "criticalDailyAmountMinor", critical),
                s.evidence(), rule.version(), summary, total, rule.param("reemitMinGrowth"));
    }

    /** @param decided every item before this time has had its verdict, on every platform of the task */
    private void purgeWindows(long decided, EffectiveRule rule) {
        // A day's finding can still grow until its last items have expired: keep it a match window longer.
        long keepAfterEnd = rule.minutesAsMillis("matchWindowMinutes") + 2 * rule.minutesAsMillis("graceMinutes");
        // Windows are days: one pass per hour of progress finds all that can go (the store is a scan).
        if (decided < lastPurge + PURGE_STEP_MS) {
            return;
        }
        lastPurge = decided;
        long streamTime = decided;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = findings.all()) {
            while (it.hasNext()) {
                KeyValue<String, WindowState> kv = it.next();
                if (kv.value.windowEnd() + keepAfterEnd < streamTime) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(findings::delete);
    }

    /** An item's address: its bucket (platform, kind, amount) and its event id. */
    static String pendingKey(String platformId, ReconItem.Kind kind, long amountMinor, long eventTime, String id) {
        return bucketKey(platformId, kind, amountMinor) + SEP + id;
    }

    static String bucketKey(String platformId, ReconItem.Kind kind, long amountMinor) {
        return platformId + SEP + kind.code + SEP + amountMinor;
    }

    static String expiryKey(ReconItem item, String pendingKey) {
        return (item.kind().fromClearing() ? DECIDED_BY_CUSTODY : DECIDED_BY_CLEARING) + pad13(item.eventTime()) + '|'
                + pendingKey;
    }

    private static String pad13(long millis) {
        return padded(new StringBuilder(13), millis, 13).toString();
    }

    /**
     * Zero-padded to {@code width} digits, as {@code %0<width>d} would (keys sort by number); by hand because
     * String.format was a visible cost here: findTwin builds several keys per event.
     */
    static StringBuilder padded(StringBuilder b, long value, int width) {
        if (value < 0) {
            return b.append(String.format(Locale.ROOT, "%0" + width + "d", value));
        }
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
