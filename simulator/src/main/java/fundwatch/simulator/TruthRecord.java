package fundwatch.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ground truth for one labelled subject: a planted scheme that named detectors should find, or a near miss —
 * honest conduct close to a detector's limit that those detectors must not flag. {@code evaluate} scores alerts
 * against these records.
 *
 * @param scheme         the {@link Scheme} name, or for a near miss the {@link NearMiss} name
 * @param detectors      DETECTION.md detector names: expected to alert (a scheme), or expected to stay quiet
 *                       although the subject comes close to their limits (a near miss)
 * @param subjectId      the alert subject: a platform, account, party or product id
 * @param onsetEventTime event time from which the scheme (or the near miss) is active
 * @param kind           scheme or near miss
 * @param subjectType    PLATFORM, ACCOUNT, PARTY or PRODUCT, as alerts name it; {@code null} in truth files written
 *                       before it was recorded (then only the id must match)
 * @param endEventTime   the last event time of the scheme, or {@code null} while it runs to the end of the span
 */
public record TruthRecord(String scheme, List<String> detectors, String subjectId, Instant onsetEventTime,
        Kind kind, String subjectType, Instant endEventTime) {

    /** Whether a record is a planted scheme or a labelled near miss. */
    public enum Kind {
        SCHEME, NEAR_MISS
    }

    public TruthRecord {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(onsetEventTime, "onsetEventTime");
        Objects.requireNonNull(kind, "kind");
        detectors = List.copyOf(detectors);
    }

    /** A scheme of an old truth file: no subject type, runs to the end. */
    public TruthRecord(String scheme, List<String> detectors, String subjectId, Instant onsetEventTime) {
        this(scheme, detectors, subjectId, onsetEventTime, Kind.SCHEME, null, null);
    }

    static TruthRecord scheme(String scheme, List<String> detectors, String subjectType, String subjectId,
            long onset) {
        return new TruthRecord(scheme, detectors, subjectId, Instant.ofEpochMilli(onset), Kind.SCHEME, subjectType,
                null);
    }

    static TruthRecord nearMiss(NearMiss nearMiss, String subjectType, String subjectId, long onset) {
        return new TruthRecord(nearMiss.name(), nearMiss.detectors(), subjectId, Instant.ofEpochMilli(onset),
                Kind.NEAR_MISS, subjectType, null);
    }

    public boolean isNearMiss() {
        return kind == Kind.NEAR_MISS;
    }
}
