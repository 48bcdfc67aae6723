package fundwatch.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Random draws for the simulation. {@link StrictMath} rather than {@link Math}, so that the same seed
 * gives the same bits on every JVM and CPU.
 */
final class Rand {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private Rand() {
    }

    /** Waiting time of a Poisson process with {@code perHour} events per hour, in millis (≥ 1). */
    static long exponentialMillis(SplittableRandom rng, double perHour) {
        double u = rng.nextDouble();
        return Math.max(1L, (long) (-StrictMath.log1p(-u) * HOUR / perHour));
    }

    /** Uniform in {@code [lo, hi]}. */
    static long between(SplittableRandom rng, long lo, long hi) {
        return lo == hi ? lo : rng.nextLong(lo, hi + 1);
    }

    static int between(SplittableRandom rng, int lo, int hi) {
        return lo == hi ? lo : rng.nextInt(lo, hi + 1);
    }

    /** Log-uniform in {@code [lo, hi]}: as many amounts between 1k and 10k as between 10k and 100k. */
    static long logUniform(SplittableRandom rng, long lo, long hi) {
        double x = StrictMath.exp(StrictMath.log(lo) + rng.nextDouble() * (StrictMath.log(hi) - StrictMath.log(lo)));
        return Math.min(hi, Math.max(lo, Math.round(x)));
    }

    static boolean chance(SplittableRandom rng, double p) {
        return rng.nextDouble() < p;
    }

    static <T> T pick(SplittableRandom rng, List<T> items) {
        return items.get(rng.nextInt(items.size()));
    }

    /** {@code count} distinct indices of {@code [0, n)}, by a partial Fisher–Yates shuffle. */
    static int[] sample(SplittableRandom rng, int n, int count) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int k = Math.min(count, n);
        for (int i = 0; i < k; i++) {
            int j = rng.nextInt(i, n);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = new int[k];
        System.arraycopy(idx, 0, out, 0, k);
        return out;
    }

    /** SplitMix64's finaliser: a bijection on longs, so distinct inputs give distinct tokens. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
