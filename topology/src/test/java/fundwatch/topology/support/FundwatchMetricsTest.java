package fundwatch.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
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

    @Test
    void shouldReportTheLongestWaitForAClearingPartitionAmongTheInstancesTasksAndForgetClosedTasks() {
        // Given two tasks of D3d expecting three clearing partitions each
        metrics = new FundwatchMetrics(new SimpleMeterRegistry());
        ChannelProgress a = ChannelProgress.ofClearing(Map.of(ChannelProgress.CLEARING_CHANNELS_CONFIG, "3"),
                metrics, "CLEARING_BYPASS");
        ChannelProgress b = ChannelProgress.ofClearing(Map.of(ChannelProgress.CLEARING_CHANNELS_CONFIG, "3"),
                metrics, "CLEARING_BYPASS");
        assertEquals(3, unseen("CLEARING_BYPASS"));

        // When task a hears from all three and task b from two
        a.see(0, 1);
        a.see(1, 1);
        a.see(2, 1);
        b.see(0, 1);
        b.see(2, 1);

        // Then the gauge shows b's wait, and 0 once b is closed (its partitions moved to another instance)
        assertEquals(1, unseen("CLEARING_BYPASS"));
        b.close();
        assertEquals(0, unseen("CLEARING_BYPASS"));
    }

    private double unseen(String detector) {
        return metrics.registry().get("fundwatch.clearing.partitions.unseen").tag("detector", detector).gauge().value();
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
