package fundwatch.topology.paymentinstitution;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A clearing payment carried by a payment institution, as judged where it was read (the payer's task) and moved
 * to the institution's task: only what D3d and D3e count, and only for payments one of them counts.
 *
 * @param clearingBypass crossed banks without a licensed clearing organisation (D3d)
 * @param unlicensed     the institution id is no licensed, active PAYMENT_INSTITUTION in the registry (D3e)
 * @param clearingHouse  as the network reported it (may be empty)
 */
public record InstitutionPayment(String institutionId, String paymentId, long amountMinor, long eventTime,
        String counterpartyId, String clearingHouse, boolean clearingBypass, boolean unlicensed) {

    /**
     * A progress mark: "the clearing partition this came from has been read up to {@code eventTime}" (stamped with
     * that partition, {@link fundwatch.topology.support.SourcePartition}). No institution's, counted by neither
     * detector; the classifier sends one to each repartition partition that has heard nothing from its clearing
     * partition for a while, in the same partition as the payments, so it never overtakes them.
     */
    public static InstitutionPayment progressMark(long eventTime) {
        return new InstitutionPayment(null, null, 0, eventTime, null, null, false, false);
    }

    public boolean isProgressMark() {
        return institutionId == null && paymentId == null;
    }

    public EvidenceItem evidence(String topic) {
        return new EvidenceItem(topic, paymentId, amountMinor, eventTime, counterpartyId);
    }

    /** Version 1: fields in declaration order. */
    public static final BinaryCodec.Format<InstitutionPayment> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(InstitutionPayment p, BinaryCodec.Writer out) {
            out.string(p.institutionId).string(p.paymentId).varLong(p.amountMinor).varLong(p.eventTime)
                    .string(p.counterpartyId).string(p.clearingHouse).bool(p.clearingBypass).bool(p.unlicensed);
        }

        @Override
        public InstitutionPayment read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("institution payment v" + version);
            }
            return new InstitutionPayment(in.string(), in.string(), in.varLong(), in.varLong(), in.string(),
                    in.string(), in.bool(), in.bool());
        }
    };
}
