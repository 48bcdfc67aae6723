package fundwatch.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link Publisher} run did.
 *
 * @param acknowledged records the brokers acknowledged, per topic name (every topic of the run's
 *                     mapping, in {@link TopicRole} order, zeros included)
 * @param exhausted    true if the input ran out; false if the run stopped on {@link Publisher#stop()},
 *                     on its time limit or on interruption
 * @param elapsed      real time the run took
 */
public record PublishResult(Map<String, Long> acknowledged, boolean exhausted, Duration elapsed) {

    public PublishResult {
        acknowledged = Collections.unmodifiableMap(new LinkedHashMap<>(acknowledged));
    }

    public long total() {
        return acknowledged.values().stream().mapToLong(Long::longValue).sum();
    }
}
