package fundwatch.topology.paymentinstitution;

/**
 * Store keys for per-subject-per-day state that sort by day first ({@code <dayStart, 15 digits>|<subject>}), so a
 * purge reads only the days that are due — a range from the oldest key — never the whole store.
 */
public final class DayKeys {
    private DayKeys() {
    }

    public static String key(long dayStartMillis, String subject) {
        return String.format("%015d|%s", dayStartMillis, subject);
    }

    /** The first key of days starting after {@code dayStartMillis}: the exclusive end of a purge range. */
    public static String after(long dayStartMillis) {
        return String.format("%015d|", dayStartMillis + 1);
    }

    public static final String FIRST = String.format("%015d|", 0L);
}
