package fundwatch.topology.fundpooling;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Product;
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
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * D1b oversubscription (FUND_POOLING): cumulative INVEST into a product beyond its target by more than the
 * tolerance — money raised beyond any loan need. INVEST movements arrive keyed by product; the product's terms
 * come from the registry's global product store. The alert covers the product's life (issuedAt + termDays).
 */
public final class OversubscriptionDetector implements Processor<String, CustodyTransaction, String, Finding> {
    static final String DETECTOR = DetectorDefaults.FUND_POOLING;
    static final String INVESTED = "invested";

    private final String storeName;
    private final String topic;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, WindowState> store;
    private KeyValueStore<String, ValueAndTimestamp<Product>> products;
    private RuleBook rules;
    private RegistryView registry;

    public OversubscriptionDetector(String storeName, String topic) {
        this.storeName = storeName;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.products = context.getStateStore(RegistryView.PRODUCTS_STORE);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, CustodyTransaction> record) {
        CustodyTransaction tx = record.value();
        String productId = tx.getProductId();
        ValueAndTimestamp<Product> stored = products.get(productId);
        Product p = stored == null ? null : stored.value();
        WindowState s = store.get(productId);
        long t = tx.getEventTime().toEpochMilli();
        if (s == null) {
            long start = p == null ? t : p.getIssuedAt().toEpochMilli();
            long end = p == null ? t : start + Duration.ofDays(Math.max(1, p.getTermDays())).toMillis();
            s = WindowState.empty(productId, start, end);
        }
        s = s.add(INVESTED, new EvidenceItem(topic, tx.getEventId(), tx.getAmountMinor(), t, tx.getDebitPartyId()));
        store.put(productId, s);
        EffectiveRule rule = rules.rule(DETECTOR);
        if (p == null || !rule.enabled()) {
            // Not yet registered: nothing to compare with; the total keeps counting for when it is.
            return;
        }
        long target = p.getTargetAmountMinor();
        double tolerance = rule.param("oversubscriptionTolerance");
        long invested = s.sum(INVESTED);
        if (target <= 0 || invested <= target * (1 + tolerance)) {
            return;
        }
        double excess = invested / (double) target - 1;
        String summary = String.format(Locale.ROOT,
                "产品 %s (平台 %s): 累计投资 %s, 超过募集目标 %s 的 %.1f%% (容差 %.0f%%): 超额募集 / "
                        + "product %s of platform %s raised %s, %.1f%% over its target %s (tolerance %.0f%%): "
                        + "money raised beyond any loan need",
                productId, p.getPlatformId(), Money.format(invested), Money.format(target), excess * 100,
                tolerance * 100, productId, p.getPlatformId(), Money.format(invested), excess * 100,
                Money.format(target), tolerance * 100);
        Finding f = new Finding(DETECTOR, productId, SubjectType.PRODUCT, p.getPlatformId(),
                registry.regionOf(p.getPlatformId()), s.windowStart(), s.windowEnd(), s.lastEventTime(),
                excess >= 0.5 ? Severity.CRITICAL : Severity.HIGH, Math.min(1.0, 0.6 + excess),
                metrics("investedMinor", invested, "targetAmountMinor", target, "oversubscription", excess),
                metrics("oversubscriptionTolerance", tolerance), s.evidence(), rule.version(), summary,
                invested - target, rule.param("reemitMinGrowth"));
        context.forward(new Record<>(productId, f, t));
    }
}
