package fundwatch.topology.paymentinstitution;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.platformflow.PlatformLegClassifier;
import fundwatch.topology.support.SourcePartition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Judges each payment that names a payment institution where it was read, against the registry's global store and
 * the rules, and forwards it — keyed by the institution — only when D3d or D3e counts it. The honest bulk of
 * institution traffic (licensed institutions clearing through NUCC or CUP) is never repartitioned.
 *
 * <p>Each payment is stamped with the clearing partition it was read from ({@link SourcePartition}), and each
 * repartition partition that has heard nothing from this clearing partition for {@link PlatformLegClassifier#MARK_STEP_MS}
 * of event time gets a progress mark ({@link InstitutionPayment#progressMark}), as the platform legs do: D3d and D3e
 * close their days on how far every clearing partition has come, not on stream time.
 */
public final class InstitutionPaymentClassifier implements Processor<String, ClearingPayment, String, InstitutionPayment> {
    private static final String MARK_KEY_PREFIX = "\u0000progress|";

    private final int partitions;
    private ProcessorContext<String, InstitutionPayment> context;
    private RegistryView registry;
    private RuleBook rules;
    /** Newest event time read from this clearing partition, and sent on to each repartition partition. In memory. */
    private long newest = Long.MIN_VALUE;
    private long[] sent;
    private final Map<String, Integer> partitionOfInstitution = new HashMap<>();

    /** @param partitions partitions of the repartition topic the payments go to (where marks must reach) */
    public InstitutionPaymentClassifier(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, InstitutionPayment> context) {
        this.context = context;
        this.registry = RegistryView.from(context);
        this.rules = RuleBook.from(context);
        this.sent = new long[partitions];
        Arrays.fill(sent, Long.MIN_VALUE);
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        ClearingPayment p = record.value();
        long eventTime = p.getEventTime().toEpochMilli();
        newest = Math.max(newest, eventTime);
        int source = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        Record<String, ClearingPayment> stamped = record.withHeaders(SourcePartition.stamped(record.headers(), source));
        String institution = p.getPaymentInstitutionId();
        if (institution != null && !institution.isBlank()) {
            boolean bypass = isClearingBypass(p, rules.rule(DetectorDefaults.CLEARING_BYPASS));
            boolean unlicensed = !isLicensedInstitution(registry.platform(institution));
            if (bypass || unlicensed) {
                String counterparty = p.getPayeePartyId() != null ? p.getPayeePartyId() : p.getPayeeAccountId();
                InstitutionPayment out = new InstitutionPayment(institution, p.getPaymentId(), p.getAmountMinor(),
                        eventTime, counterparty, p.getClearingHouse(), bypass, unlicensed);
                int q = partitionOf(institution);
                sent[q] = Math.max(sent[q], eventTime);
                context.forward(stamped.withKey(institution).withValue(out));
            }
        }
        // After the payment, so that a mark never claims a time whose payments are still to come.
        for (int q = 0; q < partitions; q++) {
            if (sent[q] == Long.MIN_VALUE || newest - sent[q] >= PlatformLegClassifier.MARK_STEP_MS) {
                sent[q] = newest;
                context.forward(stamped.withKey(MARK_KEY_PREFIX + q).withValue(InstitutionPayment.progressMark(newest)));
            }
        }
    }

    /**
     * Sends payments by institution as the default partitioner would (murmur2 of the key), and each progress mark to
     * the one partition it was meant for.
     */
    public static StreamPartitioner<String, InstitutionPayment> partitioner() {
        return (topic, key, p, n) -> p != null && p.isProgressMark() && key != null && key.startsWith(MARK_KEY_PREFIX)
                ? Optional.of(Set.of(Integer.parseInt(key.substring(MARK_KEY_PREFIX.length())) % n))
                : Optional.empty();
    }

    /** The partition the default partitioner gives an institution's payments: murmur2 of the key. */
    private int partitionOf(String institutionId) {
        return partitionOfInstitution.computeIfAbsent(institutionId, id ->
                Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions);
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
