package fundwatch.topology.fundpooling;

import fundwatch.topology.support.BinaryCodec;

/**
 * One counterparty of one account, as the hub detector keeps it: when it last (and before that) paid the account
 * and was paid by it, and whether it is a person. One small entry per (account, counterparty) — a busy account's
 * thousands of payers are thousands of keys, never one value rewritten whole on each payment.
 *
 * @param payerLast time of its latest payment into the account (0 = never)
 * @param payerPrev time of the payment before that (0 = none)
 * @param payeeLast time of the account's latest payment to it (0 = never)
 * @param payeePrev the one before that (0 = none)
 * @param expiryDay the epoch day of its entry in the expiry index (0 = none yet)
 */
record HubCounterparty(long payerLast, long payerPrev, long payeeLast, long payeePrev, boolean individualPayer,
        long expiryDay) {
    static final HubCounterparty NONE = new HubCounterparty(0, 0, 0, 0, false, 0);

    HubCounterparty seen(HubLeg leg) {
        long t = leg.eventTime();
        if (leg.direction() == HubLeg.Direction.IN) {
            long[] lp = advance(payerLast, payerPrev, t);
            return new HubCounterparty(lp[0], lp[1], payeeLast, payeePrev,
                    payerLast == 0 ? leg.individualCounterparty() : individualPayer, expiryDay);
        }
        long[] lp = advance(payeeLast, payeePrev, t);
        return new HubCounterparty(payerLast, payerPrev, lp[0], lp[1], individualPayer, expiryDay);
    }

    HubCounterparty expiringOn(long day) {
        return new HubCounterparty(payerLast, payerPrev, payeeLast, payeePrev, individualPayer, day);
    }

    /** The latest two times, whatever order they arrive in. */
    private static long[] advance(long last, long prev, long t) {
        if (t >= last) {
            return new long[] {t, last};
        }
        return new long[] {last, Math.max(prev, t)};
    }

    long latest() {
        return Math.max(payerLast, payeeLast);
    }

    static final BinaryCodec.Format<HubCounterparty> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(HubCounterparty c, BinaryCodec.Writer out) {
            out.varLong(c.payerLast).varLong(c.payerPrev).varLong(c.payeeLast).varLong(c.payeePrev)
                    .bool(c.individualPayer).varLong(c.expiryDay);
        }

        @Override
        public HubCounterparty read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new org.apache.kafka.common.errors.SerializationException("hub counterparty v" + version);
            }
            return new HubCounterparty(in.varLong(), in.varLong(), in.varLong(), in.varLong(), in.bool(),
                    in.varLong());
        }
    };
}
