package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;

/**
 * One payment on a traced path: who paid whom, the whole payment and the traced part of it that this path follows.
 *
 * @param tracedAmountMinor the part of {@code amountMinor} that carried this path's traced money
 */
public record Hop(String paymentId, String payerAccountId, String payeeAccountId, long amountMinor,
        long tracedAmountMinor, long eventTime) {

    void writeTo(BinaryCodec.Writer out) {
        out.string(paymentId).string(payerAccountId).string(payeeAccountId).varLong(amountMinor)
                .varLong(tracedAmountMinor).varLong(eventTime);
    }

    static Hop readFrom(BinaryCodec.Reader in) {
        return new Hop(in.string(), in.string(), in.string(), in.varLong(), in.varLong(), in.varLong());
    }
}
