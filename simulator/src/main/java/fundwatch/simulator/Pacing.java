package fundwatch.simulator;

/**
 * How fast the {@link Publisher} replays simulated time.
 *
 * @param timeScale          simulated milliseconds per real millisecond (3600: one simulated hour
 *                           per real second); 0 sends as fast as the producer takes records
 * @param maxEventsPerSecond upper bound on records sent per real second; 0 for no bound
 */
public record Pacing(double timeScale, double maxEventsPerSecond) {

    public Pacing {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be finite and >= 0, was " + timeScale);
        }
        if (!(maxEventsPerSecond >= 0) || Double.isInfinite(maxEventsPerSecond)) {
            throw new IllegalArgumentException("maxEventsPerSecond must be finite and >= 0, was " + maxEventsPerSecond);
        }
    }

    /** No pacing at all: the whole span as fast as possible. */
    public static Pacing unpaced() {
        return new Pacing(0, 0);
    }

    /** {@code timeScale} simulated ms per real ms, no rate bound. */
    public static Pacing scaled(double timeScale) {
        return new Pacing(timeScale, 0);
    }

    public Pacing withMaxEventsPerSecond(double rate) {
        return new Pacing(timeScale, rate);
    }

    boolean isPaced() {
        return timeScale > 0 || maxEventsPerSecond > 0;
    }
}
