package fundwatch.topology.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic alert ids: one id per (detector, subject, episode), the same on any instance and after any
 * restart, so case systems can upsert by it. An episode is named by the window start of the finding that opened
 * it. A name-based UUID keeps the id opaque and fixed-length whatever characters a subject id contains.
 *
 * <p>The subject is (subjectType, subjectId) within its platform scope, the finding's platformId: D7 judges one
 * borrower per platform and across platforms (platformId null) — separate findings about the same party, each with
 * its own episodes. For a platform subject the scope is the platform itself.
 *
 * <p>Each lifecycle (one per {@link Alerts#emit} call) numbers its own revisions, so its name is part of the id:
 * D4a and D4b both report ABNORMAL_YIELD about a product, each through its own lifecycle, and two episodes opening
 * on the same window start must still be two ids with two revision counters.
 */
public final class AlertIds {
    private AlertIds() {
    }

    /** The id of the episode of (detector, subject) that opened with a window starting at {@code anchor}. */
    public static String episode(String lifecycle, String detector, String subjectType, String subjectId,
            String platformId, long anchor) {
        return uuid(lifecycle + '\u001f' + subjectKey(detector, subjectType, subjectId, platformId)
                + "\u001fepisode\u001f" + anchor);
    }

    /**
     * The id of an episode that opened on a window older than the lifecycle's memory reaches (a finding about a
     * product issued long ago): a forgotten episode may have had the same anchor, so the id also names the day the
     * new episode was first seen firing, which no forgotten episode can share.
     */
    public static String reopened(String lifecycle, String detector, String subjectType, String subjectId,
            String platformId, long anchor, long firstFiringEnd) {
        return uuid(lifecycle + '\u001f' + subjectKey(detector, subjectType, subjectId, platformId)
                + "\u001fepisode\u001f" + anchor + "\u001freopened\u001f" + firstFiringEnd);
    }

    /** The lifecycle's state key: one episode at a time per (detector, subjectType, subjectId, platform scope). */
    static String subjectKey(String detector, String subjectType, String subjectId, String platformId) {
        return detector + '\u001f' + subjectType + '\u001f' + subjectId + '\u001f'
                + (platformId == null ? "" : platformId);
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
