package fundwatch.simulator;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record the simulated market publishes.
 *
 * @param role            which contract topic it belongs to
 * @param key             the record key as CONTRACT.md defines it: custody → platformId,
 *                        clearing → payerAccountId, registry topics → the record's own id
 * @param value           the Avro value; {@code null} is a tombstone (compacted topics only)
 * @param eventTimeMillis the event time carried in the value (eventTime, issuedAt, …), epoch millis
 */
public record SimEvent(TopicRole role, String key, SpecificRecord value, long eventTimeMillis) {

    public SimEvent {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(key, "key");
        if (value != null && !role.valueType().isInstance(value)) {
            throw new IllegalArgumentException(role + " carries " + role.valueType().getSimpleName()
                    + ", not " + value.getClass().getSimpleName());
        }
    }

    public boolean isTombstone() {
        return value == null;
    }
}
