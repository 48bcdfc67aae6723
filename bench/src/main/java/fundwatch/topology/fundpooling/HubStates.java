package fundwatch.topology.fundpooling;

import fundwatch.topology.support.BinaryCodec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongUnaryOperator;

/**
 * Pass-through-hub state for the JMH benchmarks. In the detector's package because {@link HubSummary} is
 * package-private.
 */
public final class HubStates {
    private HubStates() {
    }

    /** A busy account's summary as stored: 31 days in retention, every counter set. */
    public static byte[] busySummary() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LongUnaryOperator dayOf = t -> Instant.ofEpochMilli(t).atZone(zone).toLocalDate().toEpochDay();
        long t0 = Instant.parse("2026-11-20T02:00:00Z").toEpochMilli();
        HubSummary s = new HubSummary();
        for (int d = 0; d < 31; d++) {
            long[] row = s.day(dayOf.applyAsLong(t0) + d);
            for (int k = 0; k < row.length; k++) {
                row[k] = 1_000_000L * (k + 1) + d;
            }
        }
        s.lastEventTime = t0 + 31 * 86_400_000L;
        s.hubEpisode = new long[] {t0, s.lastEventTime, 2};
        return BinaryCodec.encode(HubSummary.FORMAT, s);
    }

    public static Object decodeSummary(byte[] bytes) {
        return BinaryCodec.decode(HubSummary.FORMAT, bytes);
    }

    public static byte[] reencodeSummary(byte[] bytes) {
        return BinaryCodec.encode(HubSummary.FORMAT, BinaryCodec.decode(HubSummary.FORMAT, bytes));
    }
}
