package fundwatch.topology.support;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.function.LongUnaryOperator;

/**
 * Event time (epoch millis) → the epoch day of its calendar date in one time zone, without building a
 * ZonedDateTime per call: the detectors ask this for every counterparty of a busy account on every leg.
 *
 * <p>Between two offset transitions local time is UTC plus a constant offset, so the day is one floor division.
 * The period around the last asked instant is remembered (Asia/Shanghai has had none since 1991: one lookup
 * ever); an instant outside it looks the zone rules up again. Safe to share: the period is an immutable value.
 */
public final class EpochDays implements LongUnaryOperator {
    private static final long DAY = 86_400_000L;

    private record Period(long from, long to, long offsetMillis) {
        boolean contains(long t) {
            return t >= from && t < to;
        }
    }

    private final ZoneRules rules;
    private volatile Period period = new Period(0, 0, 0);

    private EpochDays(ZoneId zone) {
        this.rules = zone.getRules();
    }

    public static EpochDays of(ZoneId zone) {
        return new EpochDays(zone);
    }

    @Override
    public long applyAsLong(long epochMillis) {
        Period p = period;
        if (!p.contains(epochMillis)) {
            p = periodAt(epochMillis);
            period = p;
        }
        return Math.floorDiv(epochMillis + p.offsetMillis, DAY);
    }

    private Period periodAt(long t) {
        Instant instant = Instant.ofEpochMilli(t);
        ZoneOffset offset = rules.getOffset(instant);
        ZoneOffsetTransition previous = rules.previousTransition(instant);
        ZoneOffsetTransition next = rules.nextTransition(instant);
        // Only trust a start that is the transition into this very offset; otherwise start the period at t.
        long from = previous == null ? Long.MIN_VALUE
                : previous.getOffsetAfter().equals(offset) ? previous.toEpochSecond() * 1000 : t;
        long to = next == null ? Long.MAX_VALUE : next.toEpochSecond() * 1000;
        return new Period(from, to, offset.getTotalSeconds() * 1000L);
    }
}
