package fundwatch.topology.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per source topic and dead-letter reason per minute, not one per record: a producer sending a
 * broken schema at 10,000 records a second must not flood the log (the exact count is in the
 * fundwatch_dead_letters_total metric). The line says how many records the reason took since its last line and
 * shows the latest one's origin and reason text.
 */
final class DeadLetterLog {
    static final long INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    static final DeadLetterLog SHARED = new DeadLetterLog(System::currentTimeMillis);

    private final LongSupplier clock;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    DeadLetterLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** @return the line logged, or null when this reason was already reported within the last minute */
    String record(String topic, int partition, long offset, String code, String reasonText) {
        long now = clock.getAsLong();
        // [start of the current minute, records since the last line]
        long[] w = windows.computeIfAbsent(topic + '\u0000' + code, k -> new long[] {Long.MIN_VALUE, 0});
        String line = null;
        synchronized (w) {
            w[1]++;
            if (w[0] == Long.MIN_VALUE || now - w[0] >= INTERVAL_MS) {
                line = "dead-lettered " + w[1] + " record(s) from " + topic + " for " + code
                        + (w[0] == Long.MIN_VALUE ? "" : " in the last " + ((now - w[0]) / 1000) + " s")
                        + "; latest " + topic + "-" + partition + "@" + offset + ": " + reasonText;
                w[0] = now;
                w[1] = 0;
            }
        }
        if (line != null) {
            LOG.warn(line);
        }
        return line;
    }
}
