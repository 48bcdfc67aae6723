package fundwatch.topology.fundpooling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small HyperLogLog (Flajolet et al. 2007, with the linear-counting correction for small cardinalities) for
 * distinct counterparties of accounts too busy to track one by one. 2^12 one-byte registers: 4 KiB, a standard
 * error of 1.04 / √4096 ≈ 1.6 % whatever the cardinality, and sketches merge (register-wise max), so per-day
 * sketches union into any sliding window.
 */
public final class HyperLogLog {
    public static final int PRECISION = 12;
    public static final int REGISTERS = 1 << PRECISION;

    private HyperLogLog() {
    }

    public static byte[] empty() {
        return new byte[REGISTERS];
    }

    /** Adds a 64-bit hash (see {@link #hash}) to the registers, in place. */
    public static void add(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        // Rank of the first 1-bit in the remaining 52 bits; the sentinel bit caps it at 53.
        long rest = (hash << PRECISION) | (1L << (PRECISION - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** Register-wise max of {@code other} into {@code into}: the sketch of the union. */
    public static void merge(byte[] into, byte[] other) {
        for (int i = 0; i < REGISTERS; i++) {
            if (other[i] > into[i]) {
                into[i] = other[i];
            }
        }
    }

    public static double estimate(byte[] registers) {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double m = REGISTERS;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / sum;
        // Linear counting while the registers are still sparse enough for it to be accurate (up to ~3 m); the
        // choice is made on linear counting's own value, not the raw estimate's, whose bias around 2.5 m would
        // otherwise pick the wrong estimator near the switch (measured: 3.2 % RMS error at 10,000 the old way).
        if (zeros > 0) {
            double linear = m * Math.log(m / zeros);
            if (linear <= 3 * m) {
                return linear;
            }
        }
        return raw;
    }

    public static byte[] copy(byte[] registers) {
        return Arrays.copyOf(registers, registers.length);
    }

    /**
     * A well-mixed 64-bit hash of an identifier: every UTF-8 byte is folded in through MurmurHash3's fmix64, so
     * ids that differ only in their last characters still spread over all registers (plain FNV-1a + one final
     * mix measurably biased the estimate for such ids). The same id always gives the same hash, so sets and
     * sketches of hashed ids agree with each other.
     */
    public static long hash(String id) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = fmix64(h ^ (b & 0xff)) + 0x9E3779B97F4A7C15L;
        }
        return fmix64(h ^ id.length());
    }

    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe1a85a53L;
        h ^= h >>> 33;
        return h;
    }
}
