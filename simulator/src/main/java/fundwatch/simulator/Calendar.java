package fundwatch.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;

/**
 * Lenders' activity over the year: fewer top-ups and withdrawals at weekends, and far fewer in the long public
 * holidays — the Spring Festival week (New Year's Eve and the six days after, for the years listed), the Labour
 * Day holiday (1–5 May) and the National Day week (1–7 October). A factor of at most 1, applied on top of the daily
 * curve ({@link Diurnal}).
 */
final class Calendar {
    static final double WEEKEND = 0.8;
    static final double HOLIDAY = 0.55;

    /** Chinese New Year's day (正月初一), 2024–2028. */
    private static final List<LocalDate> SPRING_FESTIVAL = List.of(LocalDate.of(2024, 2, 10), LocalDate.of(2025, 1, 29),
            LocalDate.of(2026, 2, 17), LocalDate.of(2027, 2, 6), LocalDate.of(2028, 1, 26));

    private Calendar() {
    }

    static double factor(long epochMillis) {
        LocalDate day = LocalDate.ofEpochDay(Diurnal.beijingDay(epochMillis));
        if (isHoliday(day)) {
            return HOLIDAY;
        }
        DayOfWeek d = day.getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? WEEKEND : 1.0;
    }

    static boolean isHoliday(LocalDate day) {
        MonthDay md = MonthDay.from(day);
        for (LocalDate newYear : SPRING_FESTIVAL) {
            if (!day.isBefore(newYear.minusDays(1)) && !day.isAfter(newYear.plusDays(6))) {
                return true;
            }
        }
        return between(md, MonthDay.of(1, 1), MonthDay.of(1, 1))
                || between(md, MonthDay.of(5, 1), MonthDay.of(5, 5))
                || between(md, MonthDay.of(10, 1), MonthDay.of(10, 7));
    }

    private static boolean between(MonthDay md, MonthDay from, MonthDay to) {
        return !md.isBefore(from) && !md.isAfter(to);
    }
}
