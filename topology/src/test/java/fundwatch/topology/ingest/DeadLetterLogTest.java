package fundwatch.topology.ingest;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadLetterLogTest {
    @Test
    void shouldLogEachReasonAtMostOnceAMinuteWithTheCountItStoodFor() {
        AtomicLong now = new AtomicLong(1_000_000);
        DeadLetterLog log = new DeadLetterLog(now::get);
        // The first bad record of a reason is logged at once.
        assertNotNull(log.record("clearing.payments", 0, 1, "amount-not-positive", "amount-not-positive: -5"));
        // A storm of the same reason within the minute: silent.
        for (int i = 2; i <= 500; i++) {
            now.addAndGet(100);
            assertNull(log.record("clearing.payments", 0, i, "amount-not-positive", "amount-not-positive: -5"));
        }
        // Another reason, or the same reason on another topic, has its own minute.
        assertNotNull(log.record("clearing.payments", 1, 7, "unknown-schema-id", "unknown-schema-id: 99"));
        assertNotNull(log.record("custody.transactions", 0, 3, "amount-not-positive", "amount-not-positive: 0"));
        // A minute after the first line, the next record reports everything since.
        now.set(1_000_000 + DeadLetterLog.INTERVAL_MS);
        String line = log.record("clearing.payments", 0, 501, "amount-not-positive", "amount-not-positive: -5");
        assertNotNull(line);
        assertTrue(line.startsWith("dead-lettered 500 record(s) from clearing.payments for amount-not-positive in"
                + " the last 60 s"), line);
        assertTrue(line.contains("clearing.payments-0@501"), line);
    }
}
