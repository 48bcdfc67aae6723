package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A recent payment out of an account, kept for the horizon so that traced money credited to the account late (in
 * processing order) but earlier in event time can still follow it.
 *
 * @param capacityMinor the part of the payment not yet carrying traced money
 * @param nextSeq       the next {@link TracedCredit#seq()} for a traced part this payment carries
 */
public record Outgoing(String paymentId, String payeeAccountId, String payeePartyId, long eventTime,
        long amountMinor, long capacityMinor, int nextSeq) {

    public static final BinaryCodec.Format<Outgoing> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(Outgoing o, BinaryCodec.Writer out) {
            out.string(o.paymentId).string(o.payeeAccountId).string(o.payeePartyId).varLong(o.eventTime)
                    .varLong(o.amountMinor).varLong(o.capacityMinor).varInt(o.nextSeq);
        }

        @Override
        public Outgoing read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("outgoing v" + version);
            }
            return new Outgoing(in.string(), in.string(), in.string(), in.varLong(), in.varLong(), in.varLong(),
                    in.varInt());
        }
    };
}
