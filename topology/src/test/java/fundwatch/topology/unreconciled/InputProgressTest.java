package fundwatch.topology.unreconciled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputProgressTest {
    private static final long DAY = 86_400_000L;
    private static final long QUIET = 300_000L;
    private static final long STEP = 60_000L;

    @Test
    void shouldBeAsFarAsItsSlowestDeliveringChannelNotItsNewestRecord() {
        // Given two upstream partitions replaying a backlog three days apart, both still delivering
        InputProgress p = new InputProgress(0);
        p.seen(0, 10 * DAY, 1_000, STEP);
        p.seen(1, 7 * DAY, 2_000, STEP);

        // When / Then the input is complete only up to the slower one
        assertEquals(7 * DAY, p.progress(10 * DAY, 10 * DAY, DAY, QUIET, 3_000));
        // …and moves when the slower one does
        p.passed();
        assertTrue(p.seen(1, 8 * DAY, 4_000, STEP));
        assertEquals(8 * DAY, p.progress(10 * DAY, 10 * DAY, DAY, QUIET, 5_000));
        p.passed();
        // A busy channel, seconds apart: no step per record, but one once it is a minute past the last pass
        assertFalse(p.seen(1, 8 * DAY + 30_000, 6_000, STEP));
        assertTrue(p.seen(1, 8 * DAY + 61_000, 7_000, STEP));
    }

    @Test
    void shouldStopWaitingForAChannelThatWentQuiet() {
        // Given a partition that delivered once, then nothing for longer than the quiet period
        InputProgress p = new InputProgress(0);
        p.seen(0, 2 * DAY, 0, STEP);
        p.seen(1, 5 * DAY, QUIET + 1_000, STEP);

        // When / Then only the one still delivering counts
        assertEquals(5 * DAY, p.progress(5 * DAY, 5 * DAY, DAY, QUIET, QUIET + 2_000));
    }

    @Test
    void shouldTreatAPartitionThatSendsOnlyOldRecordsAsQuiet() {
        InputProgress p = new InputProgress(0);
        p.seen(0, 2 * DAY, 0, STEP);
        p.seen(1, 5 * DAY, 0, STEP);
        // Partition 0 keeps sending, but only records older than it has already brought
        p.seen(0, DAY, QUIET, STEP);
        p.seen(1, 5 * DAY + 60_000, QUIET, STEP);

        assertEquals(5 * DAY + 60_000, p.progress(5 * DAY, 5 * DAY, DAY, QUIET, QUIET + 1_000));
    }

    @Test
    void shouldCountAWhollyQuietInputAsAtMostTheSkewBehindTheLead() {
        InputProgress p = new InputProgress(0);
        p.seen(0, 2 * DAY, 0, STEP);

        // Quiet for ten minutes while the other input reached day 5: at most a day behind it
        assertEquals(4 * DAY, p.progress(2 * DAY, 5 * DAY, DAY, QUIET, 600_000));
        // An input newer than the bound keeps its own time
        assertEquals(2 * DAY, p.progress(2 * DAY, 2 * DAY + 3_600_000, DAY, QUIET, 600_000));
    }

    @Test
    void shouldWaitAQuietPeriodAfterARestartBeforeANeverSeenInputCounts() {
        InputProgress p = new InputProgress(1_000_000);

        assertTrue(p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 1_000_000 + 10_000) < 0, "nothing known yet");
        assertEquals(9 * DAY, p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 1_000_000 + QUIET + 1));
    }

    @Test
    void shouldPassNoVerdictAfterAStartUntilEveryPartitionHasShownItself() {
        // Given an input of three partitions that each reach this task, just started
        InputProgress p = new InputProgress(0, 3, true, 30_000);
        p.seen(0, 9 * DAY, 1_000, STEP);
        p.seen(2, 9 * DAY, 2_000, STEP);

        // When / Then the first two to arrive say nothing about the third, which may be days behind
        assertTrue(p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 3_000) < 0);
        p.seen(1, 6 * DAY, 4_000, STEP);
        assertEquals(6 * DAY, p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 5_000));
    }

    @Test
    void shouldWaitTheWholeDiscoveryWhenATaskMayHearFromOnlySomePartitions() {
        // Custody is keyed by platform like the repartition: a task may hear from one partition of three, or more
        InputProgress p = new InputProgress(0, 3, false, 30_000);
        p.seen(1, 9 * DAY, 1_000, STEP);

        assertTrue(p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 29_000) < 0);
        assertEquals(9 * DAY, p.progress(9 * DAY, 9 * DAY, DAY, QUIET, 30_000));
    }
}
