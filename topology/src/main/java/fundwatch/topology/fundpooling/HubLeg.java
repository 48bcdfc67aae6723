package fundwatch.topology.fundpooling;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;
import fundwatch.topology.support.BinaryCodec;

/**
 * One side of a clearing payment seen from one account: the payee's inflow or the payer's outflow. Each
 * payment gives two legs, one for each account it touches, so every account (registered or not) sees both what it
 * gathers and what it scatters.
 *
 * @param individualCounterparty whether the other side is an INDIVIDUAL (the fundraising thresholds count
 *                               individuals only)
 */
public record HubLeg(String accountId, Direction direction, String counterpartyId, boolean individualCounterparty,
        long amountMinor, long eventTime, String paymentId) {

    public enum Direction { IN, OUT }

    public static HubLeg inflow(ClearingPayment p) {
        return new HubLeg(p.getPayeeAccountId(), Direction.IN, p.getPayerAccountId(),
                p.getPayerPartyType() == PartyType.INDIVIDUAL, p.getAmountMinor(), p.getEventTime().toEpochMilli(),
                p.getPaymentId());
    }

    public static HubLeg outflow(ClearingPayment p) {
        return new HubLeg(p.getPayerAccountId(), Direction.OUT, p.getPayeeAccountId(),
                p.getPayeePartyType() == PartyType.INDIVIDUAL, p.getAmountMinor(), p.getEventTime().toEpochMilli(),
                p.getPaymentId());
    }

    /** Crosses the payee repartition on every payment to a possible hub: binary, not JSON. */
    public static final BinaryCodec.Format<HubLeg> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(HubLeg l, BinaryCodec.Writer out) {
            out.string(l.accountId).bool(l.direction == Direction.IN).string(l.counterpartyId)
                    .bool(l.individualCounterparty).varLong(l.amountMinor).varLong(l.eventTime).string(l.paymentId);
        }

        @Override
        public HubLeg read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new org.apache.kafka.common.errors.SerializationException("hub leg v" + version);
            }
            return new HubLeg(in.string(), in.bool() ? Direction.IN : Direction.OUT, in.string(), in.bool(),
                    in.varLong(), in.varLong(), in.string());
        }
    };
}
