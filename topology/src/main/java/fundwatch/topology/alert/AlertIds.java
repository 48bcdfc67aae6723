package fundwatch.topology.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic alert ids: the same (detector, subject, window) always yields the same id, on any instance and
 * after any restart, so case systems can upsert by it. A name-based UUID keeps the id opaque and fixed-length
 * whatever characters a subject id contains.
 */
public final class AlertIds {
    private AlertIds() {
    }

    public static String of(String detector, String subjectType, String subjectId, long windowStart, long windowEnd) {
        String name = detector + '\u001f' + subjectType + '\u001f' + subjectId + '\u001f' + windowStart + '\u001f'
                + windowEnd;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
