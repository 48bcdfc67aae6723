package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * Activity over the day in Beijing time (UTC+8, no daylight saving): people pay and invest most by
 * day and in the evening, on their phones still a third as much at 3 a.m. Platform and shop traffic
 * follows it through a thinned Poisson process; the custody bypass runs flat, day and night.
 */
final class Diurnal {
    private static final long BEIJING_OFFSET = 8 * Rand.HOUR;
    private static final double[] BY_HOUR = {
        0.55, 0.45, 0.35, 0.30, 0.30, 0.35, 0.50, 0.70, 0.95, 1.20, 1.35, 1.35,
        1.20, 1.20, 1.30, 1.30, 1.30, 1.20, 1.10, 1.20, 1.35, 1.30, 1.00, 0.75};
    static final double PEAK = 1.35;

    private Diurnal() {
    }

    static double factor(long epochMillis) {
        return BY_HOUR[hourOfDay(epochMillis)];
    }

    static int hourOfDay(long epochMillis) {
        return (int) Math.floorMod(Math.floorDiv(epochMillis + BEIJING_OFFSET, Rand.HOUR), 24L);
    }

    /** Beijing day number (days since 1970-01-01 Beijing), for daily and monthly schedules. */
    static long beijingDay(long epochMillis) {
        return Math.floorDiv(epochMillis + BEIJING_OFFSET, Rand.DAY);
    }

    /** Epoch millis of {@code hour}:00 Beijing time on Beijing day {@code day}. */
    static long beijingTime(long day, int hour) {
        return day * Rand.DAY + hour * Rand.HOUR - BEIJING_OFFSET;
    }

    /**
     * Next arrival after {@code from} of a Poisson process running at {@code perHour} times the daily
     * curve (thinning: draw at the peak rate, keep with probability factor / peak).
     */
    static long nextArrival(SplittableRandom rng, long from, double perHour) {
        long t = from;
        while (true) {
            t += Rand.exponentialMillis(rng, perHour * PEAK);
            if (rng.nextDouble() * PEAK < factor(t)) {
                return t;
            }
        }
    }
}
