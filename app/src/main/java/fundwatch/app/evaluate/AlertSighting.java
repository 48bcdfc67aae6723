package fundwatch.app.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import fundwatch.avro.FundFlowAlert;

/**
 * What scoring needs of one alert revision, whether it was read from the alert topic or from a JSON-lines log
 * such as {@code demo --json} writes.
 */
public record AlertSighting(String alertId, int revision, String detector, String subjectId, String platformId,
        long lastEventTime, long detectedAt) {

    public static AlertSighting of(FundFlowAlert a) {
        return new AlertSighting(a.getAlertId(), a.getRevision(), a.getDetector(), a.getSubjectId(),
                a.getPlatformId(), a.getLastEventTime().toEpochMilli(), a.getDetectedAt().toEpochMilli());
    }

    /** From the plain JSON view of a FundFlowAlert (timestamps as epoch millis). */
    public static AlertSighting of(JsonNode a) {
        JsonNode platform = a.get("platformId");
        return new AlertSighting(required(a, "alertId").asText(), required(a, "revision").asInt(),
                required(a, "detector").asText(), required(a, "subjectId").asText(),
                platform == null || platform.isNull() ? null : platform.asText(),
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
