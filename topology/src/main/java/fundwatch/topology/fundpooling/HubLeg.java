package fundwatch.topology.fundpooling;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;

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
}
