package fundwatch.topology.lookthrough;

import fundwatch.avro.ClearingPayment;
import fundwatch.topology.fundpooling.HubLeg;

/** What the account task of the tracing sees, one of three (never serialized: merged after the repartitions). */
record AccountSide(ClearingPayment debit, TracedCredit credit, HubLeg inflow) {
    static AccountSide of(ClearingPayment p) {
        return new AccountSide(p, null, null);
    }

    static AccountSide of(TracedCredit c) {
        return new AccountSide(null, c, null);
    }

    static AccountSide of(HubLeg inflow) {
        return new AccountSide(null, null, inflow);
    }
}
