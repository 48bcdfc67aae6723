package fundwatch.topology.paymentinstitution;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Judges each payment that names a payment institution where it was read, against the registry's global store and
 * the rules, and forwards it — keyed by the institution — only when D3d or D3e counts it. The honest bulk of
 * institution traffic (licensed institutions clearing through NUCC or CUP) is never repartitioned.
 */
public final class InstitutionPaymentClassifier implements Processor<String, ClearingPayment, String, InstitutionPayment> {
    private ProcessorContext<String, InstitutionPayment> context;
    private RegistryView registry;
    private RuleBook rules;

    @Override
    public void init(ProcessorContext<String, InstitutionPayment> context) {
        this.context = context;
        this.registry = RegistryView.from(context);
        this.rules = RuleBook.from(context);
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        ClearingPayment p = record.value();
        String institution = p.getPaymentInstitutionId();
        if (institution == null || institution.isBlank()) {
            return;
        }
        boolean bypass = isClearingBypass(p, rules.rule(DetectorDefaults.CLEARING_BYPASS));
        boolean unlicensed = !isLicensedInstitution(registry.platform(institution));
        if (!bypass && !unlicensed) {
            return;
        }
        String counterparty = p.getPayeePartyId() != null ? p.getPayeePartyId() : p.getPayeeAccountId();
        InstitutionPayment out = new InstitutionPayment(institution, p.getPaymentId(), p.getAmountMinor(),
                p.getEventTime().toEpochMilli(), counterparty, p.getClearingHouse(), bypass, unlicensed);
        context.forward(record.withKey(institution).withValue(out));
    }

    /**
     * D3d: the payment crosses banks and names no licensed clearing organisation. An empty clearingHouse counts:
     * a cross-bank payment the network saw with no clearing organisation is what a direct connection looks like
     * (DETECTION.md lists "empty" among the ways). Bank codes are compared as given.
     */
    public static boolean isClearingBypass(ClearingPayment p, EffectiveRule rule) {
        if (p.getPayerBankId().equals(p.getPayeeBankId())) {
            return false;
        }
        return !isLicensedClearingHouse(p.getClearingHouse(), rule);
    }

    public static boolean isLicensedClearingHouse(String clearingHouse, EffectiveRule rule) {
        if (clearingHouse == null || clearingHouse.isBlank()) {
            return false;
        }
        Double v = rule.params().get("licensedClearingHouse." + clearingHouse.trim().toUpperCase(Locale.ROOT));
        return v != null && v > 0;
    }

    /** D3e: registered, of kind PAYMENT_INSTITUTION, licensed, and not EXITED. */
    public static boolean isLicensedInstitution(Platform platform) {
        return platform != null && platform.getKind() == PlatformKind.PAYMENT_INSTITUTION && platform.getLicensed()
                && platform.getStatus() != PlatformStatus.EXITED;
    }
}
