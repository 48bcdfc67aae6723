package fundwatch.topology.support;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Tumbling windows aligned to midnight in the regulator's time zone (Asia/Shanghai by default), not to UTC:
 * "per platform per day" means a Beijing calendar day for the people reading the alert.
 */
public record DayWindows(ZoneId zone, int days) {
    public DayWindows {
        if (days < 1) {
            throw new IllegalArgumentException("window must be at least one day");
        }
    }

    public static DayWindows daily(ZoneId zone) {
        return new DayWindows(zone, 1);
    }

    public long windowStart(long eventTimeMillis) {
        LocalDate date = Instant.ofEpochMilli(eventTimeMillis).atZone(zone).toLocalDate();
        if (days > 1) {
            long epochDay = date.toEpochDay();
            date = LocalDate.ofEpochDay(Math.floorDiv(epochDay, days) * days);
        }
        return date.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public long windowEnd(long windowStartMillis) {
        return Instant.ofEpochMilli(windowStartMillis).atZone(zone).toLocalDate().plusDays(days)
                .atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public Duration size() {
        return Duration.ofDays(days);
    }
}
