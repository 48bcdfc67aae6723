package fundwatch.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Replays the labelled AMLSim export (beside the repository, as CI has it: ../shared/datasets/amlsim-ext1K)
 * through the real topology with the committed rules, and holds the hub detector to the scores it achieves, so
 * a regression in detection fails the build.
 */
class AmlsimEvaluationTest {

    @Test
    void shouldFindFanInAndGatherScatterHubsWithoutFlaggingBackgroundAccounts() throws Exception {
        Path dir = AmlsimDataset.locate(Path.of(""));
        assertNotNull(dir, "the AMLSim export is expected at <repo>/../shared/datasets/amlsim-ext1K");
        AmlsimDataset data = AmlsimDataset.load(dir);
        Instant first = data.payments().get(0).getEventTime();

        AmlsimEvaluation.Result r = AmlsimEvaluation.run(data, RuleSet.bundledAmlsim(first));

        assertEquals(46_802, r.payments());
        assertEquals(0, r.deadLetters(), "2017 event times must pass validation with the wall clock following the data");
        // Achieved: fan_in 10/10, gather_scatter 8/10, no flagged account outside the labelled patterns' hubs.
        assertTrue(r.byType().get("fan_in").recall() >= 1.0, () -> "fan_in " + r.byType().get("fan_in"));
        assertTrue(r.byType().get("gather_scatter").recall() >= 0.8,
                () -> "gather_scatter " + r.byType().get("gather_scatter"));
        assertTrue(r.targetHubs().recall() >= 0.9, () -> "fan_in+gather_scatter " + r.targetHubs());
        assertTrue(r.byType().get("fan_in").precision() >= 1.0, () -> "fan_in " + r.byType().get("fan_in"));
        assertTrue(r.byType().get("gather_scatter").precision() >= 1.0,
                () -> "gather_scatter " + r.byType().get("gather_scatter"));
        assertTrue(r.falsePositiveAccounts().isEmpty(), () -> "flagged, hub of no pattern: " + r.falsePositiveAccounts());
        // The only other flagged accounts are scatter_gather hubs (they too receive from one-off senders).
        assertEquals(r.targetHubs().flaggedHubs() + r.byType().get("scatter_gather").flaggedHubs(),
                r.flaggedAccounts());
        assertEquals(0, r.duplicateRevisions(), "an (alertId, revision) pair was emitted twice");
        // Run time is printed by `evaluate` and measured in the closing note, never asserted: machines are noisy.
    }
}
