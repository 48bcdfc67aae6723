package fundwatch.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What market to simulate. Everything the simulator does follows from these values: the same
 * config always yields the same registry, event stream and truth.
 *
 * @param seed            seeds every random choice
 * @param honestPlatforms P2P platforms that follow the custody rules (each scheme adds one more)
 * @param start           simulated time of the first instant of the span; the simulator never reads
 *                        the wall clock, so a live demo passes "now" here
 * @param simulatedDays   length of the span; events lie in {@code [start, start + simulatedDays)}
 * @param volume          business volume of every platform and of the background payments, relative to the
 *                        default (1.0: an average platform takes ~100 top-ups a day); the Ponzi, a platform like any
 *                        other, scales too; the other schemes keep their own rates
 * @param schemes         the planted schemes, each with its onset as an offset from {@code start}. By default every
 *                        scheme whose {@link Scheme#minDays()} fits the span, at its {@link Scheme#defaultOnset()}
 * @param nearMisses      whether the honest market holds the labelled {@link NearMiss near misses} (default: yes)
 */
public record MarketConfig(long seed, int honestPlatforms, Instant start, int simulatedDays, double volume,
                           Map<Scheme, Duration> schemes, boolean nearMisses) {

    /** A fixed Monday after the LPR_1Y of 2025-05-20, so that batch runs are reproducible by default. */
    public static final Instant DEFAULT_START = Instant.parse("2025-06-01T16:00:00Z");
    public static final long DEFAULT_SEED = 20160412L;
    public static final int DEFAULT_HONEST_PLATFORMS = 6;
    public static final int DEFAULT_SIMULATED_DAYS = 30;

    public MarketConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(schemes, "schemes");
        if (honestPlatforms < 0) {
            throw new IllegalArgumentException("honestPlatforms must be >= 0, was " + honestPlatforms);
        }
        if (simulatedDays < 1) {
            throw new IllegalArgumentException("simulatedDays must be >= 1, was " + simulatedDays);
        }
        if (!(volume > 0) || Double.isInfinite(volume)) {
            throw new IllegalArgumentException("volume must be finite and > 0, was " + volume);
        }
        if (schemes.containsKey(Scheme.BORROWER_OVER_CAPS) && honestPlatforms < BorrowerOverCaps.PLATFORMS) {
            throw new IllegalArgumentException("BORROWER_OVER_CAPS borrows on " + BorrowerOverCaps.PLATFORMS
                    + " honest platforms; the market has " + honestPlatforms);
        }
        Duration span = Duration.ofDays(simulatedDays);
        EnumMap<Scheme, Duration> copy = new EnumMap<>(Scheme.class);
        schemes.forEach((scheme, onset) -> {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(onset, () -> "onset of " + scheme);
            if (onset.isNegative() || onset.compareTo(span) >= 0) {
                throw new IllegalArgumentException(
                        "onset of " + scheme + " must lie in [0, " + span + "), was " + onset);
            }
            copy.put(scheme, onset);
        });
        schemes = Collections.unmodifiableMap(copy);
    }

    /** The default market: every scheme that fits its 30 days, at its default onset. */
    public static MarketConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder().seed(seed).honestPlatforms(honestPlatforms).start(start)
                .simulatedDays(simulatedDays).volume(volume).noSchemes().nearMisses(nearMisses);
        schemes.forEach(b::scheme);
        return b;
    }

    public Instant end() {
        return start.plus(Duration.ofDays(simulatedDays));
    }

    public boolean isEnabled(Scheme scheme) {
        return schemes.containsKey(scheme);
    }

    /** The scheme's onset offset from {@link #start()}, if the scheme is planted. */
    public Optional<Duration> onset(Scheme scheme) {
        return Optional.ofNullable(schemes.get(scheme));
    }

    public boolean custodyBypass() {
        return isEnabled(Scheme.CUSTODY_BYPASS);
    }

    public boolean unreconciledFlow() {
        return isEnabled(Scheme.UNRECONCILED_FLOW);
    }

    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private int honestPlatforms = DEFAULT_HONEST_PLATFORMS;
        private Instant start = DEFAULT_START;
        private int simulatedDays = DEFAULT_SIMULATED_DAYS;
        private double volume = 1.0;
        private boolean nearMisses = true;
        /** Whether the schemes that fit the span are planted; resolved at build(), when the span is known. */
        private boolean defaults = true;
        private final EnumMap<Scheme, Duration> explicit = new EnumMap<>(Scheme.class);
        private final EnumSet<Scheme> removed = EnumSet.noneOf(Scheme.class);

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder honestPlatforms(int honestPlatforms) {
            this.honestPlatforms = honestPlatforms;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder simulatedDays(int simulatedDays) {
            this.simulatedDays = simulatedDays;
            return this;
        }

        public Builder volume(double volume) {
            this.volume = volume;
            return this;
        }

        /** Whether the honest market holds the labelled near misses (on by default). */
        public Builder nearMisses(boolean nearMisses) {
            this.nearMisses = nearMisses;
            return this;
        }

        /** Plants {@code scheme} from {@code onset} after start (replacing an earlier onset). */
        public Builder scheme(Scheme scheme, Duration onset) {
            explicit.put(Objects.requireNonNull(scheme), Objects.requireNonNull(onset));
            removed.remove(scheme);
            return this;
        }

        /** Plants {@code scheme} at its default onset. */
        public Builder scheme(Scheme scheme) {
            return scheme(scheme, scheme.defaultOnset());
        }

        public Builder withoutScheme(Scheme scheme) {
            explicit.remove(scheme);
            removed.add(scheme);
            return this;
        }

        /** An honest market: no scheme planted (schemes added after this call still are). */
        public Builder noSchemes() {
            defaults = false;
            explicit.clear();
            removed.clear();
            return this;
        }

        public Builder custodyBypass(boolean enabled) {
            return toggle(Scheme.CUSTODY_BYPASS, enabled);
        }

        public Builder custodyBypassOnset(Duration onset) {
            return scheme(Scheme.CUSTODY_BYPASS, onset);
        }

        public Builder unreconciledFlow(boolean enabled) {
            return toggle(Scheme.UNRECONCILED_FLOW, enabled);
        }

        public Builder unreconciledFlowOnset(Duration onset) {
            return scheme(Scheme.UNRECONCILED_FLOW, onset);
        }

        private Builder toggle(Scheme scheme, boolean enabled) {
            if (!enabled) {
                return withoutScheme(scheme);
            }
            if (!explicit.containsKey(scheme)) {
                scheme(scheme);
            }
            return this;
        }

        public MarketConfig build() {
            EnumMap<Scheme, Duration> schemes = new EnumMap<>(Scheme.class);
            if (defaults) {
                for (Scheme scheme : Scheme.values()) {
                    boolean fits = scheme.minDays() <= simulatedDays && (scheme != Scheme.BORROWER_OVER_CAPS
                            || honestPlatforms >= BorrowerOverCaps.PLATFORMS);
                    if (fits && !removed.contains(scheme)) {
                        schemes.put(scheme, scheme.defaultOnset());
                    }
                }
            }
            schemes.putAll(explicit);
            return new MarketConfig(seed, honestPlatforms, start, simulatedDays, volume, schemes, nearMisses);
        }
    }
}
