package fundwatch.topology.platformflow;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.Platform;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.support.SourcePartition;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Resolves each clearing payment against the account registry and emits a {@link PlatformLeg} for each side
 * that is a platform's registered account, keyed by that platform. Payments between unregistered accounts
 * emit nothing here (the clearing-side hub detectors see them on their own path).
 */
public final class PlatformLegClassifier implements Processor<String, ClearingPayment, String, PlatformLeg> {
    private ProcessorContext<String, PlatformLeg> context;
    private RegistryView registry;

    @Override
    public void init(ProcessorContext<String, PlatformLeg> context) {
        this.context = context;
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        ClearingPayment p = record.value();
        AccountRegistration payee = registry.account(p.getPayeeAccountId());
        AccountRegistration payer = registry.account(p.getPayerAccountId());
        boolean in = payee != null && payee.getPlatformId() != null;
        boolean out = payer != null && payer.getPlatformId() != null;
        if (!in && !out) {
            return;
        }
        // D3b tells the clearing partitions apart after the repartition by platform (SourcePartition).
        int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        Record<String, ClearingPayment> stamped = record.withHeaders(SourcePartition.stamped(record.headers(), partition));
        if (in) {
            emit(stamped, p, payee, payer, PlatformLeg.Direction.IN);
        }
        if (out) {
            emit(stamped, p, payer, payee, PlatformLeg.Direction.OUT);
        }
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
        context.forward(record.withKey(platformId).withValue(leg));
    }
}
