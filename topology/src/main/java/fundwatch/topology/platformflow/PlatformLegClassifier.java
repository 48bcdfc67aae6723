package fundwatch.topology.platformflow;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.Platform;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.support.SourcePartition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Resolves each clearing payment against the account registry and emits a {@link PlatformLeg} for each side
 * that is a platform's registered account, keyed by that platform. Payments between unregistered accounts
 * emit nothing here (the clearing-side hub detectors see them on their own path).
 */
public final class PlatformLegClassifier implements Processor<String, ClearingPayment, String, PlatformLeg> {
    /**
     * A repartition partition that has heard nothing from this clearing partition for this much event time gets a
     * progress mark. Marks fill gaps only: a partition that receives legs all along gets none.
     */
    public static final long MARK_STEP_MS = 1_800_000;
    private static final String MARK_KEY_PREFIX = "\u0000progress|";

    private final int legPartitions;
    private ProcessorContext<String, PlatformLeg> context;
    private RegistryView registry;
    /** Newest event time read from this clearing partition, and sent on to each repartition partition. In memory. */
    private long newest = Long.MIN_VALUE;
    private long[] sent;
    private final Map<String, Integer> partitionOfPlatform = new HashMap<>();

    /** @param legPartitions partitions of the repartition topic the legs go to (where marks must reach) */
    public PlatformLegClassifier(int legPartitions) {
        this.legPartitions = legPartitions;
    }

    @Override
    public void init(ProcessorContext<String, PlatformLeg> context) {
        this.context = context;
        this.registry = RegistryView.from(context);
        this.sent = new long[legPartitions];
        Arrays.fill(sent, Long.MIN_VALUE);
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        ClearingPayment p = record.value();
        long eventTime = p.getEventTime().toEpochMilli();
        newest = Math.max(newest, eventTime);
        AccountRegistration payee = registry.account(p.getPayeeAccountId());
        AccountRegistration payer = registry.account(p.getPayerAccountId());
        boolean in = payee != null && payee.getPlatformId() != null;
        boolean out = payer != null && payer.getPlatformId() != null;
        // D3b tells the clearing partitions apart after the repartition by platform (SourcePartition).
        int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        Record<String, ClearingPayment> stamped = record.withHeaders(SourcePartition.stamped(record.headers(), partition));
        if (in) {
            emit(stamped, p, payee, payer, PlatformLeg.Direction.IN);
        }
        if (out) {
            emit(stamped, p, payer, payee, PlatformLeg.Direction.OUT);
        }
        // After the legs, so that a mark never claims a time whose legs are still to come.
        for (int q = 0; q < legPartitions; q++) {
            if (sent[q] == Long.MIN_VALUE || newest - sent[q] >= MARK_STEP_MS) {
                sent[q] = newest;
                context.forward(stamped.withKey(MARK_KEY_PREFIX + q).withValue(PlatformLeg.progressMark(newest)));
            }
        }
    }

    /**
     * Sends legs by platform as the default partitioner would (murmur2 of the key), and each progress mark to the
     * one partition it was meant for.
     */
    public static StreamPartitioner<String, PlatformLeg> partitioner() {
        return (topic, key, leg, partitions) -> leg != null && leg.isProgressMark() && key != null
                && key.startsWith(MARK_KEY_PREFIX)
                ? Optional.of(Set.of(Integer.parseInt(key.substring(MARK_KEY_PREFIX.length())) % partitions))
                : Optional.empty();
    }

    /** The partition the default partitioner gives a platform's legs: murmur2 of the key, as the producer does. */
    private int partitionOf(String platformId) {
        return partitionOfPlatform.computeIfAbsent(platformId, id ->
                Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % legPartitions);
    }

    private void emit(Record<String, ClearingPayment> record, ClearingPayment p, AccountRegistration own,
            AccountRegistration other, PlatformLeg.Direction direction) {
        String platformId = own.getPlatformId();
        Platform platform = registry.platform(platformId);
        boolean in = direction == PlatformLeg.Direction.IN;
        String otherParty = in ? p.getPayerPartyId() : p.getPayeePartyId();
        boolean samePlatform = (other != null && platformId.equals(other.getPlatformId()))
                || (otherParty != null && Objects.equals(otherParty, own.getHolderPartyId()));
        PlatformLeg leg = new PlatformLeg(
                platformId,
                platform == null ? null : platform.getRegionCode(),
                platform == null ? null : platform.getKind().name(),
                own.getAccountId(),
                own.getPurpose(),
                direction,
                p.getPaymentId(),
                p.getAmountMinor(),
                p.getEventTime().toEpochMilli(),
                in ? p.getPayerAccountId() : p.getPayeeAccountId(),
                otherParty,
                in ? p.getPayerPartyType() : p.getPayeePartyType(),
                samePlatform);
        int q = partitionOf(platformId);
        sent[q] = Math.max(sent[q], leg.eventTime());
        context.forward(record.withKey(platformId).withValue(leg));
    }
}
