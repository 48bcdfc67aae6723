package fundwatch.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Ground truth for one planted scheme: which detectors should find it, about which subject, from
 * when. {@code evaluate} scores alerts against these records.
 *
 * @param scheme         the {@link Scheme} name
 * @param detectors      DETECTION.md detector names expected to alert
 * @param subjectId      the alert subject (for the current schemes the platformId)
 * @param onsetEventTime event time from which the scheme is active
 */
public record TruthRecord(String scheme, List<String> detectors, String subjectId, Instant onsetEventTime) {

    public TruthRecord {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(onsetEventTime, "onsetEventTime");
        detectors = List.copyOf(detectors);
    }
}
