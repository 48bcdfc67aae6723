package fundwatch.topology.maturity;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.ProductKind;
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

/**
 * D2 MATURITY_MISMATCH per product: a product whose term is shorter than the loans behind it — a WEALTH_PLAN with
 * termDays < underlyingTermDays, or another (closed-end) product under the 90-day floor of 资管新规 art. 15 backed
 * by longer loans ({@link MaturityEvent.Terms#mismatched}); CRITICAL under the floor. Alerts on registration, and
 * again (a new revision) as money flows in: the invested amount is the finding's material value. Only a mismatched
 * product's investments are kept; those seen before the registration wait for it and are dropped if it is fine.
 */
public final class MaturityMismatchDetector implements Processor<String, MaturityEvent, String, Finding> {
    static final String DETECTOR = DetectorDefaults.MATURITY_MISMATCH;
    static final String INVESTED = "invested";

    private final String termsStoreName;
    private final String investedStoreName;
    private final String topic;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, MaturityEvent.Terms> terms;
    private KeyValueStore<String, WindowState> invested;
    private RuleBook rules;
    private RegistryView registry;

    public MaturityMismatchDetector(String termsStoreName, String investedStoreName, String topic) {
        this.termsStoreName = termsStoreName;
        this.investedStoreName = investedStoreName;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.terms = context.getStateStore(termsStoreName);
        this.invested = context.getStateStore(investedStoreName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, MaturityEvent> record) {
        MaturityEvent e = record.value();
        EffectiveRule rule = rules.rule(DETECTOR);
        double floor = rule.param("closedEndMinTermDays");
        MaturityEvent.Terms t;
        WindowState money = invested.get(e.productId());
        if (e.kind() == MaturityEvent.Kind.REGISTRATION) {
            t = e.terms();
            terms.put(e.productId(), t);
            if (money != null && !t.mismatched(floor)) {
                // Kept while the product was unknown; registered and not mismatched, its money is no evidence.
                invested.delete(e.productId());
                money = null;
            }
        } else {
            t = terms.get(e.productId());
            // Only the money of a mismatched product is evidence; a product not registered yet may turn out to be
            // one, so its money waits for the registration (which drops it if not).
            if (t != null && !t.mismatched(floor)) {
                return;
            }
            if (money == null) {
                money = WindowState.empty(e.productId(), 0, 0);
            }
            money = money.add(INVESTED, new EvidenceItem(topic, e.eventId(), e.amountMinor(), e.eventTime(),
                    e.counterpartyId()));
            invested.put(e.productId(), money);
        }
        if (t == null || !t.mismatched(floor) || !rule.enabled()) {
            return;
        }
        context.forward(new Record<>(e.productId(), finding(t, money, e.eventTime(), rule), e.eventTime()));
    }

    private Finding finding(MaturityEvent.Terms t, WindowState money, long lastEventTime, EffectiveRule rule) {
        double floor = rule.param("closedEndMinTermDays");
        boolean underFloor = t.termDays() < floor;
        long amount = money == null ? 0 : money.sum(INVESTED);
        Severity severity = underFloor ? Severity.CRITICAL : Severity.HIGH;
        double gap = 1 - t.termDays() / (double) t.underlyingTermDays();
        String summary = String.format(Locale.ROOT,
                "产品 %s (平台 %s, %s): 期限 %d 天, 底层借款 %d 天%s, 已募集 %s: 期限错配 / "
                        + "product %s of platform %s (%s) runs %d days but the loans behind it run %d days%s; "
                        + "%s invested so far: short money funding long loans",
                t.productId(), t.platformId(), t.kind(), t.termDays(), t.underlyingTermDays(),
                underFloor ? String.format(Locale.ROOT, ", 低于封闭期 %d 天下限", Math.round(floor)) : "",
                Money.format(amount), t.productId(), t.platformId(), t.kind(), t.termDays(),
                t.underlyingTermDays(),
                underFloor ? String.format(Locale.ROOT, ", under the %d-day closed-end floor", Math.round(floor)) : "",
                Money.format(amount));
        return new Finding(DETECTOR, t.productId(), SubjectType.PRODUCT, t.platformId(),
                registry.regionOf(t.platformId()), t.issuedAt(),
                t.issuedAt() + Duration.ofDays(Math.max(1, t.termDays())).toMillis(),
                Math.max(lastEventTime, money == null ? 0 : money.lastEventTime()), severity,
                Math.min(1.0, (underFloor ? 0.8 : 0.6) + 0.2 * gap),
                metrics("termDays", t.termDays(), "underlyingTermDays", t.underlyingTermDays(),
                        "investedMinor", amount, "wealthPlan", t.kind() == ProductKind.WEALTH_PLAN ? 1 : 0),
                metrics("closedEndMinTermDays", floor),
                money == null ? java.util.List.of() : money.evidence(), rule.version(), summary,
                // The registration alone is worth 1; money flowing in grows it (a revision per 25 % more money).
                1 + amount, rule.param("reemitMinGrowth"));
    }
}
