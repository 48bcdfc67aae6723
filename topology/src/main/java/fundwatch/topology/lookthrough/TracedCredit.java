package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Traced money arriving in an account: one payment's traced part from one origin, with the whole path back to the
 * platform it left. Crosses the one traced-credit repartition (keyed by the payee account) and is what the account
 * keeps while it holds the money; at most {@code maxHops + 1} hops long, so its size does not grow with history.
 *
 * @param seq          tells apart the several traced parts one payment can carry (one per holding it drew on)
 * @param amountMinor  the traced amount this credit brings (≤ the payment's amount)
 * @param hops         the path, hop 1 = the origin payment out of the platform, the last = this payment
 */
public record TracedCredit(String payeeAccountId, String payeePartyId, String paymentId, int seq, long eventTime,
        long amountMinor, String originPlatformId, OriginKind originKind, String borrowerPartyId, List<Hop> hops) {

    public TracedCredit {
        hops = List.copyOf(hops);
    }

    /** How many payments the money has been through, the origin payment included. */
    public int hop() {
        return hops.size();
    }

    /** The credit this one becomes when {@code amount} of it is paid on by {@code payment}. */
    TracedCredit carriedBy(String payeeAccount, String payeeParty, String payment, int newSeq, long time,
            long paymentAmount, String payerAccount, long amount) {
        List<Hop> path = new ArrayList<>(hops.size() + 1);
        path.addAll(hops);
        path.add(new Hop(payment, payerAccount, payeeAccount, paymentAmount, amount, time));
        return new TracedCredit(payeeAccount, payeeParty, payment, newSeq, time, amount, originPlatformId, originKind,
                borrowerPartyId, path);
    }

    public static final BinaryCodec.Format<TracedCredit> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(TracedCredit c, BinaryCodec.Writer out) {
            out.string(c.payeeAccountId).string(c.payeePartyId).string(c.paymentId).varInt(c.seq).varLong(c.eventTime)
                    .varLong(c.amountMinor).string(c.originPlatformId).varInt(c.originKind.ordinal())
                    .string(c.borrowerPartyId).varInt(c.hops.size());
            c.hops.forEach(h -> h.writeTo(out));
        }

        @Override
        public TracedCredit read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("traced credit v" + version);
            }
            String payee = in.string();
            String payeeParty = in.string();
            String payment = in.string();
            int seq = in.varInt();
            long time = in.varLong();
            long amount = in.varLong();
            String origin = in.string();
            OriginKind kind = OriginKind.values()[in.varInt()];
            String borrower = in.string();
            int n = in.varInt();
            if (n < 0 || n > 64) {
                throw new SerializationException("traced credit with " + n + " hops");
            }
            List<Hop> hops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hops.add(Hop.readFrom(in));
            }
            return new TracedCredit(payee, payeeParty, payment, seq, time, amount, origin, kind, borrower, hops);
        }
    };
}
