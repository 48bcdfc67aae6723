package fundwatch.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FundwatchMetricsTest {

    @Test
    void shouldPutAFindingMadeDaysAfterItsLastEventInAFiniteLatencyBucket() {
        // Given a baseline detector's alert ten days after its last event, and a payment-level one after 200 ms
        metrics = new FundwatchMetrics(new SimpleMeterRegistry());
        metrics.alertLatency("RAPID_GROWTH", Duration.ofDays(10).toMillis());
        metrics.alertLatency("CUSTODY_BYPASS", 200);

        // Then the slow one is counted at or below 30 days (not only in +Inf), the fast one at or below 250 ms
        assertEquals(0, cumulative("RAPID_GROWTH", Duration.ofDays(7)));
        assertEquals(1, cumulative("RAPID_GROWTH", Duration.ofDays(30)));
        assertEquals(1, cumulative("CUSTODY_BYPASS", Duration.ofMillis(250)));
        assertEquals(0, cumulative("CUSTODY_BYPASS", Duration.ofMillis(100)));
    }

    private FundwatchMetrics metrics;

    /** The count of the bucket whose upper bound is {@code le} (Micrometer's SLO buckets are cumulative). */
    private double cumulative(String detector, Duration le) {
        Timer timer = metrics.registry().find("fundwatch.alert.latency").tag("detector", detector).timer();
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(b -> (long) b.bucket(TimeUnit.NANOSECONDS) == le.toNanos())
                .mapToDouble(CountAtBucket::count)
                .findFirst().orElseThrow(() -> new AssertionError("no bucket at " + le));
    }
}
