package fundwatch.app.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import fundwatch.avro.FundFlowAlert;

/**
 * What scoring needs of one alert revision, whether it was read from the alert topic or from a JSON-lines log
 * such as {@code demo --json} writes: who raised it about what, and the event-time window it covers.
 */
public record AlertSighting(String alertId, int revision, String detector, String subjectType, String subjectId,
        String platformId, long windowStart, long windowEnd, long lastEventTime, long detectedAt) {

    public static AlertSighting of(FundFlowAlert a) {
        return new AlertSighting(a.getAlertId(), a.getRevision(), a.getDetector(), a.getSubjectType().name(),
                a.getSubjectId(), a.getPlatformId(), a.getWindowStart().toEpochMilli(),
                a.getWindowEnd().toEpochMilli(), a.getLastEventTime().toEpochMilli(),
                a.getDetectedAt().toEpochMilli());
    }

    /** From the plain JSON view of a FundFlowAlert (timestamps as epoch millis). */
    public static AlertSighting of(JsonNode a) {
        JsonNode platform = a.get("platformId");
        return new AlertSighting(required(a, "alertId").asText(), required(a, "revision").asInt(),
                required(a, "detector").asText(), required(a, "subjectType").asText(),
                required(a, "subjectId").asText(),
                platform == null || platform.isNull() ? null : platform.asText(),
                required(a, "windowStart").asLong(), required(a, "windowEnd").asLong(),
                required(a, "lastEventTime").asLong(), required(a, "detectedAt").asLong());
    }

    private static JsonNode required(JsonNode a, String field) {
        JsonNode v = a.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("not a FundFlowAlert: no " + field);
        }
        return v;
    }
}
