package fundwatch.topology.abnormalyield;

/**
 * One lender's monitored stake in one product: principal fundwatch saw go in (less principal repaid) and its
 * exposure — outstanding principal integrated over time, in fen·days — up to the latest movement and up to the
 * latest interest payment.
 */
public final class LenderPosition {
    public long outstandingMinor;
    public long lastTime;
    public double exposureFenDays;
    public double exposureAtLastInterest;

    /** Accrues exposure up to {@code t}; movements are applied in event-time order, so t never goes back. */
    void advance(long t) {
        if (t > lastTime) {
            exposureFenDays += outstandingMinor * ((t - lastTime) / 86_400_000d);
            lastTime = t;
        }
    }
}
