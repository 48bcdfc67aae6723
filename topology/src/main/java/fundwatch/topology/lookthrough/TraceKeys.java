package fundwatch.topology.lookthrough;

/**
 * Store keys of the tracing state. Time-bucketed first ({@code bucket|account|time|…}, the bucket a UTC day of
 * event time), so that one account's entries of a span are a few range scans and whole days of expired entries are
 * deleted by one scan from the start of the store, without a separate expiry index (STYLE.md 15).
 */
public final class TraceKeys {
    static final char SEP = '\u001f';
    static final long DAY = 86_400_000L;

    private TraceKeys() {
    }

    public static long bucket(long epochMillis) {
        return Math.floorDiv(epochMillis, DAY);
    }

    static String pad(long v, int width) {
        String s = Long.toString(Math.max(0, v));
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    static String bucketPrefix(long bucket) {
        return pad(bucket, 6) + SEP;
    }

    /** {@code bucket|account|time|}: the start of an account's entries at {@code time}. */
    public static String accountAt(String account, long time) {
        return bucketPrefix(bucket(time)) + account + SEP + pad(time, 13) + SEP;
    }

    /** {@code bucket|account|}: all of an account's entries of one bucket. */
    static String accountBucket(String account, long bucket) {
        return bucketPrefix(bucket) + account + SEP;
    }

    /** {@code bucket|account|time|paymentId|}: the traced parts one payment brought an account (one per seq). */
    public static String paymentPrefix(String account, long time, String paymentId) {
        return entry(account, time, paymentId);
    }

    /** {@code bucket|account|}: an account's entries of one bucket (scan it up to {@link #after}). */
    public static String accountBucketPrefix(String account, long bucket) {
        return accountBucket(account, bucket);
    }

    /** {@code bucket|platform|paymentId|}: the paths one final payment of a D8a alert brought (one per seq). */
    public static String selfPathPrefix(String platformId, long eventTime, String paymentId) {
        return bucketPrefix(bucket(eventTime)) + platformId + SEP + paymentId + SEP;
    }

    /** The bucket of a bucketed store key. */
    public static long bucketOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf(SEP)));
    }

    static String entry(String account, long time, String paymentId) {
        return accountAt(account, time) + paymentId + SEP;
    }

    static String entry(String account, long time, String paymentId, int seq) {
        return entry(account, time, paymentId) + seq;
    }

    /** The key just past every key starting with {@code prefix}. */
    public static String after(String prefix) {
        return prefix + '\uffff';
    }

    /** The first key of the bucket after {@code bucket}: everything before it is in that bucket or earlier. */
    static String bucketEnd(long bucket) {
        return bucketPrefix(bucket + 1);
    }
}
