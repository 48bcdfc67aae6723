package fundwatch.topology.abnormalyield;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Product;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.registry.RatesView;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * D4b ABNORMAL_YIELD (realised): interest actually paid to the lenders of a product, annualised over the principal
 * fundwatch saw them invest and the time it was held, above the same ceiling as D4a (4 × the live LPR_1Y, HIGH;
 * above {@code criticalYieldBps}, CRITICAL).
 *
 * <p><b>Holding days.</b> Lenders enter and leave at different times, so the yield is principal-weighted over
 * each lender's own holding: per (product, lender sub-account) fundwatch integrates the outstanding monitored
 * principal over time (INVEST adds, REPAY_PRINCIPAL removes), and
 * {@code realised = Σ interest_i / Σ (exposure_i / 365)}, where {@code exposure_i} is lender i's principal × days
 * held from each INVEST up to their latest interest payment. With one lot and no early repayment this is
 * {@code Σ interest / Σ (principal_i × days_i / 365)}, days from the INVEST to the payment. Interest credited to a
 * lender whose INVEST fundwatch never saw (money in before monitoring began) is not counted (reported as
 * {@code unmonitoredInterestMinor}), and marks the product as one whose money partly went in before monitoring
 * began ({@link ProductYield#seasoned}): from then on it has no realised yield, because a lender of it may hold old
 * and new principal at once and be paid interest on both — on the new principal alone that "annualises" to many
 * times the honest rate.
 *
 * <p><b>Arrival order.</b> Movements wait in a pending store keyed by (end of their Beijing day, product, event
 * time) and are applied in event-time order once the custody movements this detector reads have passed their
 * day's end by the grace period; a movement for a day already applied is late and dropped (counted). Not stream
 * time: the platform task also reads clearing legs and products, which a backlog replays days ahead of the custody
 * ledger, and days closed on them dropped an honest product's INVESTs as late (issue #19's live-vs-backlog test). The yield is judged after each applied day
 * that paid interest, at the LPR_1Y in force then, so a late INVEST within the grace period is accounted before
 * the interest it earned, whatever order they arrived in.
 *
 * <p><b>Alert window.</b> From the Beijing day of the product's first monitored INVEST to 365 days later, end
 * inclusive ({@code start + 365 d − 1 ms}); a product still above the ceiling after that opens a new window. The
 * window never equals D4a's ({@code issuedAt … issuedAt + termDays}, a whole number of days), so the declared and
 * the realised finding on one product are two alerts.
 */
public final class RealisedYieldDetector implements Processor<String, YieldMovement, String, Finding> {
    static final String DETECTOR = DetectorDefaults.ABNORMAL_YIELD;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long WINDOW = Duration.ofDays(365).toMillis() - 1;
    /** A fully repaid product with no movement this long is forgotten. */
    private static final long IDLE_RETENTION = Duration.ofDays(90).toMillis();
    private static final char SEP = '\u001f';

    private final String pendingStoreName;
    private final String positionsStoreName;
    private final String productsStoreName;
    private final String topic;
    private final ZoneId zone;
    private final EpochDays epochDays;
    private final FundwatchMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, YieldMovement> pending;
    private KeyValueStore<String, LenderPosition> positions;
    private KeyValueStore<String, ProductYield> products;
    private KeyValueStore<String, ValueAndTimestamp<Product>> registered;
    private RuleBook rules;
    private RatesView rates;
    private RegistryView registry;

    public RealisedYieldDetector(String pendingStoreName, String positionsStoreName, String productsStoreName,
            String topic, ZoneId zone, FundwatchMetrics metrics) {
        this.pendingStoreName = pendingStoreName;
        this.positionsStoreName = positionsStoreName;
        this.productsStoreName = productsStoreName;
        this.topic = topic;
        this.zone = zone;
        this.epochDays = EpochDays.of(zone);
        this.metrics = metrics;
    }

    /** The bound of the last applied pass; in memory, so a restart scans from the start once. */
    private String appliedBelow;
    /** Newest event time of the custody movements read (in memory; after a restart days close later, never earlier). */
    private long clock = Long.MIN_VALUE;
    private long lastApplied = Long.MIN_VALUE / 2;
    private static final long APPLY_STEP = Duration.ofMinutes(10).toMillis();

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStoreName);
        this.positions = context.getStateStore(positionsStoreName);
        this.products = context.getStateStore(productsStoreName);
        this.registered = context.getStateStore(RegistryView.PRODUCTS_STORE);
        this.rules = RuleBook.from(context);
        this.rates = RatesView.from(context);
        this.registry = RegistryView.from(context);
        context.schedule(Duration.ofDays(1), PunctuationType.STREAM_TIME, t -> forgetIdleProducts(clock));
    }

    @Override
    public void process(Record<String, YieldMovement> record) {
        YieldMovement m = record.value();
        if (m.kind() == YieldMovement.Kind.PROGRESS) {
            advance(m.eventTime());
            return;
        }
        long dayEnd = startOfDay(dayOf(m.eventTime()) + 1);
        if (dayEnd + grace() <= clock) {
            // Its day has been applied already: accounting it now would reorder the product's history.
            metrics.lateEvent(DETECTOR);
            return;
        }
        pending.put(pad13(dayEnd) + SEP + m.productId() + SEP + pad13(m.eventTime()) + SEP + m.eventId(), m);
        advance(m.eventTime());
    }

    private void advance(long eventTime) {
        clock = Math.max(clock, eventTime);
        if (clock >= lastApplied + APPLY_STEP) {
            lastApplied = clock;
            applyClosedDays(clock);
        }
    }

    /** Applies every pending movement of the days that have closed, day by day, product by product, in time order. */
    private void applyClosedDays(long streamTime) {
        List<KeyValue<String, YieldMovement>> due = new ArrayList<>();
        String upTo = pad13(streamTime - grace()) + SEP + '\uffff';
        // Everything below the last pass's bound is applied and deleted (a later movement of those days is late):
        // start there, not at 0, or each pass walks RocksDB's tombstones of all the history applied before.
        String from = appliedBelow == null ? pad13(0) : appliedBelow;
        if (from.compareTo(upTo) >= 0) {
            return;
        }
        appliedBelow = upTo;
        try (KeyValueIterator<String, YieldMovement> it = pending.range(from, upTo)) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        if (due.isEmpty()) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        String group = null;
        ProductYield product = null;
        boolean paidInterest = false;
        for (KeyValue<String, YieldMovement> kv : due) {
            pending.delete(kv.key);
            YieldMovement m = kv.value;
            String g = kv.key.substring(0, kv.key.indexOf(SEP, 14));
            if (!g.equals(group)) {
                finish(product, paidInterest, rule);
                group = g;
                product = products.get(m.productId());
                if (product == null) {
                    product = new ProductYield();
                    product.productId = m.productId();
                    product.platformId = m.platformId();
                }
                paidInterest = false;
            }
            paidInterest |= apply(product, m);
        }
        finish(product, paidInterest, rule);
    }

    /** @return whether the movement was interest on monitored principal */
    private boolean apply(ProductYield p, YieldMovement m) {
        String key = m.productId() + SEP + m.lenderAccountId();
        LenderPosition pos = positions.get(key);
        long t = m.eventTime();
        p.lastEventTime = Math.max(p.lastEventTime, t);
        boolean interest = false;
        switch (m.kind()) {
            case INVEST -> {
                if (pos == null) {
                    pos = new LenderPosition();
                    pos.lastTime = t;
                }
                pos.advance(t);
                pos.outstandingMinor = Math.addExact(pos.outstandingMinor, m.amountMinor());
                p.monitoredPrincipalMinor = Math.addExact(p.monitoredPrincipalMinor, m.amountMinor());
                p.outstandingMinor = Math.addExact(p.outstandingMinor, m.amountMinor());
                p.firstInvestTime = Math.min(p.firstInvestTime, t);
            }
            case PRINCIPAL -> {
                if (pos == null) {
                    p.seasoned = true;
                    return false;
                }
                pos.advance(t);
                if (m.amountMinor() > pos.outstandingMinor) {
                    p.seasoned = true;
                }
                long repaid = Math.min(pos.outstandingMinor, m.amountMinor());
                pos.outstandingMinor -= repaid;
                p.outstandingMinor -= repaid;
            }
            case INTEREST -> {
                if (pos == null) {
                    p.unmonitoredInterestMinor = Math.addExact(p.unmonitoredInterestMinor, m.amountMinor());
                    p.seasoned = true;
                    return false;
                }
                pos.advance(t);
                p.exposureFenDays += pos.exposureFenDays - pos.exposureAtLastInterest;
                pos.exposureAtLastInterest = pos.exposureFenDays;
                p.interestMinor = Math.addExact(p.interestMinor, m.amountMinor());
                p.evidence = largest(p.evidence, new EvidenceItem(topic, m.eventId(), m.amountMinor(), t,
                        m.lenderAccountId()));
                interest = true;
            }
            default -> throw new IllegalStateException(m.kind().name());
        }
        positions.put(key, pos);
        return interest;
    }

    private void finish(ProductYield p, boolean paidInterest, EffectiveRule rule) {
        if (p == null) {
            return;
        }
        // The ceiling in force on the day judged: a rate published for a later date does not apply yet.
        Finding f = paidInterest ? evaluate(p, rule, rates.bps(RatesView.LPR_1Y, p.lastEventTime,
                (int) rule.longParam("lprFallbackBps"))) : null;
        products.put(p.productId, p);
        if (f != null && rule.enabled()) {
            context.forward(new Record<>(f.subjectId(), f, f.lastEventTime()));
        }
    }

    private Finding evaluate(ProductYield p, EffectiveRule rule, int lprBps) {
        double realised = p.realisedBps();
        double ceiling = rule.param("ceilingLprMultiple") * lprBps;
        double critical = rule.param("criticalYieldBps");
        if (Double.isNaN(realised) || realised <= ceiling) {
            return null;
        }
        if (p.windowEnd == 0 || p.lastEventTime > p.windowEnd) {
            long first = p.windowEnd == 0 && p.firstInvestTime != Long.MAX_VALUE ? p.firstInvestTime : p.lastEventTime;
            p.windowStart = startOfDay(dayOf(first));
            p.windowEnd = p.windowStart + WINDOW;
        }
        String productId = p.productId;
        Product declared = declared(productId);
        Severity severity = realised > critical ? Severity.CRITICAL : Severity.HIGH;
        double score = Math.min(1.0, 0.6 + 0.4 * (realised - ceiling) / Math.max(1, critical));
        double principalYears = p.exposureFenDays / 365d;
        Map<String, Double> observed = metrics("realisedAnnualYieldBps", realised, "lprBps", lprBps,
                "interestPaidMinor", p.interestMinor, "principalYearsMinor", principalYears,
                "monitoredPrincipalMinor", p.monitoredPrincipalMinor, "outstandingPrincipalMinor", p.outstandingMinor,
                "unmonitoredInterestMinor", p.unmonitoredInterestMinor);
        if (declared != null) {
            observed.put("declaredAnnualYieldBps", (double) declared.getDeclaredAnnualYieldBps());
        }
        String summary = String.format(Locale.ROOT,
                "产品 %s (平台 %s): 出借人实际获得利息 %s, 按持有本金与天数折合年化 %.2f%%, 超过 %s 倍 LPR 上限 %.2f%% / "
                        + "lenders were actually paid %s of interest, %.2f %% a year on the principal and days they "
                        + "held (%s principal-years), above the ceiling of %.2f %% (%s × LPR_1Y %.2f %%)",
                productId, p.platformId, Money.format(p.interestMinor), realised / 100,
                DeclaredYieldDetector.multiple(rule), ceiling / 100, Money.format(p.interestMinor), realised / 100,
                Money.format(Math.round(principalYears)), ceiling / 100, DeclaredYieldDetector.multiple(rule),
                lprBps / 100.0);
        return new Finding(DETECTOR, productId, SubjectType.PRODUCT, p.platformId, registry.regionOf(p.platformId),
                p.windowStart, p.windowEnd, p.lastEventTime, severity, score, observed,
                metrics("ceilingBps", ceiling, "criticalYieldBps", critical,
                        "ceilingLprMultiple", rule.param("ceilingLprMultiple")),
                p.evidence, rule.version(), summary, p.interestMinor, rule.param("reemitMinGrowth"));
    }

    private Product declared(String productId) {
        ValueAndTimestamp<Product> v = registered.get(productId);
        return v == null ? null : v.value();
    }

    /** Drops fully repaid products that have been idle for a while, with their lender positions. */
    private void forgetIdleProducts(long streamTime) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, ProductYield> it = products.all()) {
            while (it.hasNext()) {
                KeyValue<String, ProductYield> kv = it.next();
                if (kv.value.outstandingMinor == 0 && kv.value.lastEventTime + IDLE_RETENTION < streamTime) {
                    idle.add(kv.key);
                }
            }
        }
        for (String productId : idle) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, LenderPosition> it = positions.prefixScan(productId + SEP,
                    new StringSerializer())) {
                while (it.hasNext()) {
                    keys.add(it.next().key);
                }
            }
            keys.forEach(positions::delete);
            products.delete(productId);
        }
    }

    private static List<EvidenceItem> largest(List<EvidenceItem> list, EvidenceItem item) {
        List<EvidenceItem> out = new ArrayList<>(list);
        out.add(item);
        out.sort(EvidenceItem.LARGEST_FIRST);
        return out.size() > WindowState.MAX_EVIDENCE ? new ArrayList<>(out.subList(0, WindowState.MAX_EVIDENCE)) : out;
    }

    private long grace() {
        return rules.rule(DETECTOR).minutesAsMillis("graceMinutes");
    }

    private long dayOf(long t) {
        return epochDays.applyAsLong(t);
    }

    private long startOfDay(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static String pad13(long millis) {
        return String.format("%013d", Math.max(0, millis));
    }
}
