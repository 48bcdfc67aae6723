package fundwatch.topology.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic alert ids: one id per (detector, subject, episode), the same on any instance and after any
 * restart, so case systems can upsert by it. An episode is named by the window start of the finding that opened
 * it. A name-based UUID keeps the id opaque and fixed-length whatever characters a subject id contains.
 */
public final class AlertIds {
    private AlertIds() {
    }

    /** The id of the episode of (detector, subjectType, subjectId) that opened with a window starting at {@code anchor}. */
    public static String episode(String detector, String subjectType, String subjectId, long anchor) {
        return uuid(detector + '\u001f' + subjectType + '\u001f' + subjectId + "\u001fepisode\u001f" + anchor);
    }

    /**
     * The id of an episode that opened on a window older than the lifecycle's memory reaches (a finding about a
     * product issued long ago): a forgotten episode may have had the same anchor, so the id also names the day the
     * new episode was first seen firing, which no forgotten episode can share.
     */
    public static String reopened(String detector, String subjectType, String subjectId, long anchor,
            long firstFiringEnd) {
        return uuid(detector + '\u001f' + subjectType + '\u001f' + subjectId + "\u001fepisode\u001f" + anchor
                + "\u001freopened\u001f" + firstFiringEnd);
    }

    /** The lifecycle's state key: one episode at a time per (detector, subjectType, subjectId). */
    static String subjectKey(String detector, String subjectType, String subjectId) {
        return detector + '\u001f' + subjectType + '\u001f' + subjectId;
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
