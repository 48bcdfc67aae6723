package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One half of a loan disbursement waiting for the other: the custody master's payment to an outside account, or the
 * custody LOAN_DISBURSEMENT that says it is a loan and whose. They meet on (platform, outside account, amount).
 *
 * @param payment     true for the clearing payment, false for the custody movement
 * @param id          the payment id or the custody event id
 * @param dueTime     event time after which an unmatched payment leaves as PLATFORM_FUNDS (or a movement is dropped)
 */
public record PendingOrigin(boolean payment, String id, String payerAccountId, String payeeAccountId,
        String payeePartyId, long amountMinor, long eventTime, String borrowerPartyId, long dueTime) {

    public static final BinaryCodec.Format<PendingOrigin> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(PendingOrigin p, BinaryCodec.Writer out) {
            out.bool(p.payment).string(p.id).string(p.payerAccountId).string(p.payeeAccountId).string(p.payeePartyId)
                    .varLong(p.amountMinor).varLong(p.eventTime).string(p.borrowerPartyId).varLong(p.dueTime);
        }

        @Override
        public PendingOrigin read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("pending origin v" + version);
            }
            return new PendingOrigin(in.bool(), in.string(), in.string(), in.string(), in.string(), in.varLong(),
                    in.varLong(), in.string(), in.varLong());
        }
    };
}
