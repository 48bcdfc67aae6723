package fundwatch.topology.abnormalyield;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Product;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.registry.RatesView;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * D4a ABNORMAL_YIELD (declared): a product promising more than the judicial ceiling of 4 × LPR_1Y (HIGH), more
 * than 2 400 bps (CRITICAL), or guaranteeing principal and interest (HIGH on its own: a prohibited promise).
 * LPR_1Y is read live from reference.rates at each check, so a new rate changes the ceiling without a
 * restart. Checked at registration and again at the first investment into the product, which becomes a new
 * revision carrying that investment as evidence.
 */
public final class DeclaredYieldDetector implements Processor<String, YieldCheck, String, Finding> {
    public static final String DETECTOR = DetectorDefaults.ABNORMAL_YIELD;

    private final String fundedStoreName;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, Long> funded;
    private KeyValueStore<String, ValueAndTimestamp<Product>> products;
    private RuleBook rules;
    private RatesView rates;
    private RegistryView registry;

    public DeclaredYieldDetector(String fundedStoreName) {
        this.fundedStoreName = fundedStoreName;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.funded = context.getStateStore(fundedStoreName);
        this.products = context.getStateStore(RegistryView.PRODUCTS_STORE);
        this.rules = RuleBook.from(context);
        this.rates = RatesView.from(context);
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, YieldCheck> record) {
        YieldCheck check = record.value();
        ProductTerms product = check.terms();
        if (product == null) {
            ValueAndTimestamp<Product> stored = products.get(check.productId());
            if (stored == null || stored.value() == null) {
                // Money into a product nobody registered: D1a's concern (unmatched investment), not a yield.
                return;
            }
            product = ProductTerms.of(stored.value());
        }
        List<EvidenceItem> evidence = new ArrayList<>(2);
        evidence.add(new EvidenceItem("registry.products", product.productId(), product.targetAmountMinor(),
                product.issuedAt(), product.borrowerPartyId()));
        long fundedAmount = 0;
        if (check.trigger() == YieldCheck.Trigger.INVESTMENT) {
            if (funded.get(check.productId()) != null) {
                return;
            }
            funded.put(check.productId(), check.eventTime());
            fundedAmount = check.amountMinor();
            evidence.add(new EvidenceItem("custody.transactions", check.eventId(), check.amountMinor(),
                    check.eventTime(), check.counterpartyId()));
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        // The rate in force when the product is judged (registered, or first funded), not the latest published.
        int lpr = rates.bps(RatesView.LPR_1Y, check.eventTime(), (int) rule.longParam("lprFallbackBps"));
        Finding f = evaluate(product, lpr, rule,
                registry.regionOf(product.platformId()), evidence, fundedAmount, check.eventTime());
        if (f != null && rule.enabled()) {
            context.forward(new Record<>(product.productId(), f, check.eventTime()));
        }
    }

    /** The finding for a product at the given LPR, or null when its promise is within the limits. */
    static Finding evaluate(ProductTerms p, int lprBps, EffectiveRule rule, String region, List<EvidenceItem> evidence,
            long fundedAmount, long eventTime) {
        double ceilingBps = rule.param("ceilingLprMultiple") * lprBps;
        double criticalBps = rule.param("criticalYieldBps");
        int declared = p.declaredAnnualYieldBps();
        boolean aboveCeiling = declared > ceilingBps;
        boolean aboveCritical = declared > criticalBps;
        boolean guaranteed = p.guaranteedReturn();
        if (!aboveCeiling && !guaranteed) {
            return null;
        }
        Severity severity = aboveCritical ? Severity.CRITICAL : Severity.HIGH;
        double score = Math.min(1.0, 0.6 + 0.4 * Math.max(0, declared - ceilingBps) / Math.max(1, criticalBps));
        if (guaranteed && !aboveCeiling) {
            score = 0.6;
        }
        String why = (aboveCeiling
                ? String.format(Locale.ROOT, "年化 %.2f%% 超过 %s 倍 LPR 上限 %.2f%% / declares %.2f %% a year, above the "
                        + "ceiling of %.2f %% (%s × LPR_1Y %.2f %%)", declared / 100.0, multiple(rule), ceilingBps / 100.0,
                        declared / 100.0, ceilingBps / 100.0, multiple(rule), lprBps / 100.0)
                : "")
                + (aboveCeiling && guaranteed ? "; " : "")
                + (guaranteed ? "承诺保本保息 / guarantees principal and interest" : "");
        String summary = String.format(Locale.ROOT, "产品 %s (平台 %s): %s", p.productId(), p.platformId(), why);
        long start = p.issuedAt();
        long end = start + Duration.ofDays(Math.max(1, p.termDays())).toMillis();
        return new Finding(DETECTOR, p.productId(), SubjectType.PRODUCT, p.platformId(), region, start, end,
                Math.max(start, eventTime), severity, score,
                metrics("declaredAnnualYieldBps", declared, "lprBps", lprBps, "guaranteedReturn", guaranteed ? 1 : 0,
                        "fundedAmountMinor", fundedAmount),
                metrics("ceilingBps", ceilingBps, "criticalYieldBps", criticalBps,
                        "ceilingLprMultiple", rule.param("ceilingLprMultiple")),
                evidence, rule.version(), summary, fundedAmount, rule.param("reemitMinGrowth"));
    }

    /** The ceiling's LPR multiple as the rule in force states it: "4", "3.5". */
    static String multiple(EffectiveRule rule) {
        return java.math.BigDecimal.valueOf(rule.param("ceilingLprMultiple")).stripTrailingZeros().toPlainString();
    }
}
