package fundwatch.topology.fundpooling;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;
import fundwatch.topology.support.BinaryCodec;

/**
 * One side of a clearing payment seen from one account: the payee's inflow or the payer's outflow. Each
 * payment gives two legs, one for each account it touches, so every account (registered or not) sees both what it
 * gathers and what it scatters.
 *
 * @param counterpartyId         the other side's account (named in evidence)
 * @param individualCounterparty whether the other side is an INDIVIDUAL (the fundraising thresholds count
 *                               individuals only)
 * @param counterpartyPartyId    the other side's party, or null when the payment names none
 */
public record HubLeg(String accountId, Direction direction, String counterpartyId, boolean individualCounterparty,
        long amountMinor, long eventTime, String paymentId, String counterpartyPartyId) {

    public enum Direction { IN, OUT }

    /** A leg whose counterparty is known by account only. */
    public HubLeg(String accountId, Direction direction, String counterpartyId, boolean individualCounterparty,
            long amountMinor, long eventTime, String paymentId) {
        this(accountId, direction, counterpartyId, individualCounterparty, amountMinor, eventTime, paymentId, null);
    }

    public static HubLeg inflow(ClearingPayment p) {
        return new HubLeg(p.getPayeeAccountId(), Direction.IN, p.getPayerAccountId(),
                p.getPayerPartyType() == PartyType.INDIVIDUAL, p.getAmountMinor(), p.getEventTime().toEpochMilli(),
                p.getPaymentId(), p.getPayerPartyId());
    }

    public static HubLeg outflow(ClearingPayment p) {
        return new HubLeg(p.getPayerAccountId(), Direction.OUT, p.getPayeeAccountId(),
                p.getPayeePartyType() == PartyType.INDIVIDUAL, p.getAmountMinor(), p.getEventTime().toEpochMilli(),
                p.getPaymentId(), p.getPayeePartyId());
    }

    /**
     * Who the counterparty is, for counting (DETECTION.md D1c counts payers, payees, individuals and payback by
     * party): its party id when the payment names one — a person with three cards is one payer, and a "return" to
     * another card of the same person is payback — else its account. The two namespaces are kept apart.
     */
    public String counterpartyKey() {
        return counterpartyPartyId != null && !counterpartyPartyId.isBlank() ? "P:" + counterpartyPartyId
                : "A:" + counterpartyId;
    }

    /** Crosses the payee repartition on every payment to a possible hub: binary, not JSON. */
    public static final BinaryCodec.Format<HubLeg> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 2;
        }

        /** v2 appends the counterparty's party id (a presence flag, then the id); v1 legs have none. */
        @Override
        public void write(HubLeg l, BinaryCodec.Writer out) {
            out.string(l.accountId).bool(l.direction == Direction.IN).string(l.counterpartyId)
                    .bool(l.individualCounterparty).varLong(l.amountMinor).varLong(l.eventTime).string(l.paymentId)
                    .bool(l.counterpartyPartyId != null);
            if (l.counterpartyPartyId != null) {
                out.string(l.counterpartyPartyId);
            }
        }

        @Override
        public HubLeg read(int version, BinaryCodec.Reader in) {
            if (version != 1 && version != 2) {
                throw new org.apache.kafka.common.errors.SerializationException("hub leg v" + version);
            }
            String account = in.string();
            Direction direction = in.bool() ? Direction.IN : Direction.OUT;
            String counterparty = in.string();
            boolean individual = in.bool();
            long amount = in.varLong();
            long time = in.varLong();
            String payment = in.string();
            String party = version >= 2 && in.bool() ? in.string() : null;
            return new HubLeg(account, direction, counterparty, individual, amount, time, payment, party);
        }
    };
}
