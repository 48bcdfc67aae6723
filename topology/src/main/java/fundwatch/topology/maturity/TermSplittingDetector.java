package fundwatch.topology.maturity;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D2 term splitting (期限拆分): one borrower party financed by several products of the same platform, each
 * shorter than the loan behind it, issued within the split window. Keyed by platform|borrower; keeps that
 * borrower's short products issued within the window of the newest one.
 */
public final class TermSplittingDetector implements Processor<String, MaturityEvent, String, Finding> {
    static final String DETECTOR = DetectorDefaults.MATURITY_MISMATCH;

    /** The borrower's short products, oldest first. */
    public record Split(List<MaturityEvent.Terms> products) {
    }

    private final String storeName;
    private final String topic;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, Split> store;
    private RuleBook rules;
    private RegistryView registry;

    public TermSplittingDetector(String storeName, String topic) {
        this.storeName = storeName;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.rules = RuleBook.from(context);
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, MaturityEvent> record) {
        MaturityEvent.Terms t = record.value().terms();
        if (t == null || !t.shorterThanItsLoans() || t.borrowerPartyId() == null) {
            return;
        }
        EffectiveRule rule = rules.rule(DETECTOR);
        long window = Duration.ofDays(Math.round(rule.param("splitIssueWindowDays"))).toMillis();
        Split s = store.get(record.key());
        List<MaturityEvent.Terms> products = new ArrayList<>(s == null ? List.of() : s.products());
        products.removeIf(p -> p.productId().equals(t.productId()));
        products.add(t);
        products.sort(Comparator.comparingLong(MaturityEvent.Terms::issuedAt));
        long newest = products.get(products.size() - 1).issuedAt();
        products.removeIf(p -> p.issuedAt() < newest - window);
        store.put(record.key(), new Split(List.copyOf(products)));
        if (products.size() < rule.param("splitMinProducts") || !rule.enabled()) {
            return;
        }
        long first = products.get(0).issuedAt();
        int loanDays = products.stream().mapToInt(p -> p.underlyingTermDays()).max().orElse(0);
        int longest = products.stream().mapToInt(MaturityEvent.Terms::termDays).max().orElse(0);
        long raised = products.stream().mapToLong(MaturityEvent.Terms::targetAmountMinor).sum();
        List<EvidenceItem> evidence = products.stream()
                .map(p -> new EvidenceItem(topic, p.productId(), p.targetAmountMinor(), p.issuedAt(), p.platformId()))
                .sorted(EvidenceItem.LARGEST_FIRST).toList();
        String summary = String.format(Locale.ROOT,
                "借款人 %s 在平台 %s: %d 天内发行 %d 个产品 (最长 %d 天) 为 %d 天的借款融资: 期限拆分 / "
                        + "borrower %s on platform %s financed by %d products issued within %d days, each at most "
                        + "%d days, for loans of %d days: term splitting",
                t.borrowerPartyId(), t.platformId(), Math.round(rule.param("splitIssueWindowDays")),
                products.size(), longest, loanDays, t.borrowerPartyId(), t.platformId(), products.size(),
                Math.round(rule.param("splitIssueWindowDays")), longest, loanDays);
        Finding f = new Finding(DETECTOR, t.borrowerPartyId(), SubjectType.PARTY, t.platformId(),
                registry.regionOf(t.platformId()), first, first + window, newest, Severity.HIGH,
                Math.min(1.0, 0.5 + 0.1 * products.size()),
                metrics("splitProducts", products.size(), "loanTermDays", loanDays, "longestProductTermDays",
                        longest, "targetAmountMinor", raised),
                metrics("splitIssueWindowDays", rule.param("splitIssueWindowDays"), "splitMinProducts",
                        rule.param("splitMinProducts")),
                evidence, rule.version(), summary, products.size(), rule.param("reemitMinGrowth"));
        context.forward(new Record<>(record.key(), f, newest));
    }
}
