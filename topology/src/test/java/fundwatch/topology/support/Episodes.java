package fundwatch.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Assertions on alert episodes (DETECTION.md "Alert behaviour"), shared by the per-detector episode tests. */
public final class Episodes {
    private Episodes() {
    }

    public static List<String> alertIds(List<FundFlowAlert> alerts) {
        return alerts.stream().map(FundFlowAlert::getAlertId).distinct().toList();
    }

    /** One alertId whose revisions run 1, 2, 3, … in the order emitted; at least {@code minRevisions} of them. */
    public static void assertOneEpisode(List<FundFlowAlert> alerts, int minRevisions) {
        assertEquals(1, alertIds(alerts).size(), () -> "expected one alertId, got " + summary(alerts));
        for (int i = 0; i < alerts.size(); i++) {
            assertEquals(i + 1, alerts.get(i).getRevision(), () -> summary(alerts));
        }
        assertTrue(alerts.size() >= minRevisions, () -> "expected at least " + minRevisions + " revisions, got "
                + summary(alerts));
    }

    /** No (alertId, revision) pair is emitted twice, and each alertId's revisions only rise. */
    public static void assertRevisionsNeverRepeat(List<FundFlowAlert> alerts) {
        Set<String> pairs = new HashSet<>();
        for (FundFlowAlert a : alerts) {
            assertTrue(pairs.add(a.getAlertId() + "#" + a.getRevision()), () -> "repeated: " + summary(alerts));
        }
    }

    public static String summary(List<FundFlowAlert> alerts) {
        StringBuilder sb = new StringBuilder();
        for (FundFlowAlert a : alerts) {
            sb.append(a.getAlertId(), 0, 8).append('#').append(a.getRevision()).append(' ')
                    .append(a.getWindowStart()).append("..").append(a.getWindowEnd()).append("; ");
        }
        return sb.toString();
    }
}
