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
        return new AlertSighting(a.get("alertId").asText(), a.get("revision").asInt(), a.get("detector").asText(),
                a.get("subjectId").asText(), platform == null || platform.isNull() ? null : platform.asText(),
                a.get("lastEventTime").asLong(), a.get("detectedAt").asLong());
    }
}
