package fundwatch.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochDaysTest {

    @Test
    void shouldAgreeWithJavaTimeAroundMidnightInBeijing() {
        EpochDays days = EpochDays.of(ZoneId.of("Asia/Shanghai"));
        long midnight = Instant.parse("2026-11-27T16:00:00Z").toEpochMilli(); // 2026-11-28 00:00 in Beijing
        assertEquals(expected("Asia/Shanghai", midnight - 1), days.applyAsLong(midnight - 1));
        assertEquals(expected("Asia/Shanghai", midnight), days.applyAsLong(midnight));
        assertEquals(days.applyAsLong(midnight - 1) + 1, days.applyAsLong(midnight));
    }

    @Test
    void shouldAgreeWithJavaTimeAcrossOffsetTransitionsInAnyOrder() {
        // Given zones with DST (and Beijing's own DST of 1986–1991), instants in random order across decades
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("1985-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2040-01-01T00:00:00Z").toEpochMilli();
        for (String zone : new String[] {"Asia/Shanghai", "Europe/London", "America/New_York", "Australia/Lord_Howe"}) {
            EpochDays days = EpochDays.of(ZoneId.of(zone));
            for (int i = 0; i < 20_000; i++) {
                long t = random.nextLong(from, to);
                assertEquals(expected(zone, t), days.applyAsLong(t), zone + " at " + Instant.ofEpochMilli(t));
            }
        }
    }

    @Test
    void shouldAgreeWithJavaTimeOnTheMillisecondsAroundATransition() {
        EpochDays days = EpochDays.of(ZoneId.of("Europe/London"));
        long transition = Instant.parse("2026-03-29T01:00:00Z").toEpochMilli(); // clocks go forward
        for (long t = transition - 3; t <= transition + 3; t++) {
            assertEquals(expected("Europe/London", t), days.applyAsLong(t));
        }
        long midnightLocal = Instant.parse("2026-06-30T23:00:00Z").toEpochMilli(); // 00:00 BST
        assertEquals(expected("Europe/London", midnightLocal - 1) + 1, days.applyAsLong(midnightLocal));
    }

    private static long expected(String zone, long t) {
        return Instant.ofEpochMilli(t).atZone(ZoneId.of(zone)).toLocalDate().toEpochDay();
    }
}
