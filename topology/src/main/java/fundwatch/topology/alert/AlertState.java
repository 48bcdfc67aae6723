package fundwatch.topology.alert;

/** What was last emitted for an alert id: enough to number the next revision and judge materiality. */
public record AlertState(String alertId, int revision, String severity, double materialValue, long windowEnd) {
}
