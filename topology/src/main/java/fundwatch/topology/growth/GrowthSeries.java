package fundwatch.topology.growth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A platform's daily series as levels: what D6 judges and what {@code GET /platforms/{id}/series} shows. Days
 * without movements are filled in (zero inflow, level unchanged), so the curve has one point per day.
 */
public final class GrowthSeries {
    private GrowthSeries() {
    }

    /** One day of the curve; {@code day} is the Beijing calendar date. */
    public record Point(String day, long inflowMinor, long newLenders, long outstandingMinor, long positiveLenders) {
    }

    /**
     * @param days all kept days of the platform, by epoch day
     * @param from first epoch day to return (earlier days still count towards the levels)
     * @param to   last epoch day to return
     */
    public static List<Point> points(PlatformGrowth platform, NavigableMap<Long, GrowthDay> days, long from, long to) {
        long outstanding = platform.outstandingBaseMinor;
        long lenders = platform.positiveLendersBase;
        for (GrowthDay d : days.headMap(from, false).values()) {
            outstanding += d.outstandingChangeMinor;
            lenders += d.positiveLendersChange;
        }
        List<Point> out = new ArrayList<>();
        for (long day = from; day <= to; day++) {
            GrowthDay d = days.get(day);
            if (d != null) {
                outstanding += d.outstandingChangeMinor;
                lenders += d.positiveLendersChange;
            }
            out.add(new Point(LocalDate.ofEpochDay(day).toString(), d == null ? 0 : d.inflowMinor,
                    d == null ? 0 : d.newLenders, outstanding, lenders));
        }
        return out;
    }

    /** Levels at the end of {@code day}: {outstandingMinor, positiveLenders}. */
    static long[] levelsAt(PlatformGrowth platform, NavigableMap<Long, GrowthDay> days, long day) {
        long outstanding = platform.outstandingBaseMinor;
        long lenders = platform.positiveLendersBase;
        for (Map.Entry<Long, GrowthDay> e : days.headMap(day, true).entrySet()) {
            outstanding += e.getValue().outstandingChangeMinor;
            lenders += e.getValue().positiveLendersChange;
        }
        return new long[] {outstanding, lenders};
    }
}
