package fundwatch.topology.profile;

/** One alert as the platform's risk profile sees it: its latest revision. */
public record OpenFinding(String alertId, String detector, String severity, double score, int revision,
        long windowStart, long windowEnd, long lastEventTime, String summary) {
}
