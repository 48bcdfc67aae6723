package fundwatch.bench;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Ordinary traffic for the open loop: simulator events encoded once with a fixed-width placeholder id and a
 * sentinel event time, then stamped per send by overwriting those bytes in a copy. Every sent record gets a fresh
 * id (fundwatch drops redeliveries by id, so replayed ids would measure the dedup shortcut) and event time = now,
 * for ~100 ns instead of a full Avro encode per record.
 */
final class OpenLoopTemplates {
    /** 16 characters: "OL" + 14 digits; Avro writes a string as a length varint then the UTF-8 bytes. */
    static final String ID_PLACEHOLDER = "OL00000000000000";
    private static final int ID_DIGITS = 14;

    record Template(int topicIndex, byte[] key, byte[] value, int idOffset, int timeOffset) {
    }

    private final List<Template> templates = new ArrayList<>();
    private final long sentinel;

    OpenLoopTemplates(long sentinelMillis) {
        this.sentinel = sentinelMillis;
        if (varint(zigzag(sentinelMillis)).length != 6) {
            throw new IllegalArgumentException("sentinel must encode in 6 bytes like every date up to 2039");
        }
    }

    long sentinel() {
        return sentinel;
    }

    static SpecificRecord placeholder(SpecificRecord value, long sentinelMillis) {
        Instant t = Instant.ofEpochMilli(sentinelMillis);
        if (value instanceof ClearingPayment p) {
            return ClearingPayment.newBuilder(p).setPaymentId(ID_PLACEHOLDER).setEventTime(t).build();
        }
        if (value instanceof CustodyTransaction c) {
            return CustodyTransaction.newBuilder(c).setEventId(ID_PLACEHOLDER).setEventTime(t).build();
        }
        throw new IllegalArgumentException("not an event: " + value.getClass());
    }

    /** {@code encoded} must be {@link #placeholder}'s record in the Confluent wire format. */
    void add(int topicIndex, byte[] key, byte[] encoded) {
        int id = indexOf(encoded, ID_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII)) + 2; // after "OL"
        int time = indexOf(encoded, varint(zigzag(sentinel)));
        if (id < 2 || time < 0) {
            throw new IllegalStateException("placeholder or sentinel not found in the encoded record");
        }
        templates.add(new Template(topicIndex, key, encoded, id, time));
    }

    int size() {
        return templates.size();
    }

    Template template(long n) {
        return templates.get((int) (n % templates.size()));
    }

    /** A copy of the template with id digits = {@code seq} and event time = {@code eventTimeMillis}. */
    static byte[] stamp(Template t, long seq, long eventTimeMillis) {
        byte[] out = t.value().clone();
        long v = seq;
        for (int i = ID_DIGITS - 1; i >= 0; i--) {
            out[t.idOffset() + i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        byte[] time = varint(zigzag(eventTimeMillis));
        if (time.length != 6) {
            throw new IllegalStateException("event time " + eventTimeMillis + " does not encode in 6 bytes");
        }
        System.arraycopy(time, 0, out, t.timeOffset(), 6);
        return out;
    }

    /** Decodes one stamped record with the real deserializer: the byte surgery must give what it claims. */
    static void verify(byte[] stamped, Function<byte[], SpecificRecord> decode, long seq, long eventTimeMillis) {
        SpecificRecord r = decode.apply(stamped);
        String expectedId = String.format("OL%014d", seq);
        String id;
        Instant time;
        if (r instanceof ClearingPayment p) {
            id = p.getPaymentId();
            time = p.getEventTime();
        } else if (r instanceof CustodyTransaction c) {
            id = c.getEventId();
            time = c.getEventTime();
        } else {
            throw new IllegalStateException("unexpected " + r);
        }
        if (!id.equals(expectedId) || time.toEpochMilli() != eventTimeMillis) {
            throw new IllegalStateException("stamping broke the record: id " + id + ", time " + time);
        }
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static byte[] varint(long v) {
        byte[] buf = new byte[10];
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
        return java.util.Arrays.copyOf(buf, n);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        int found = -1;
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (found >= 0) {
                throw new IllegalStateException("placeholder bytes occur twice; cannot stamp unambiguously");
            }
            found = i;
        }
        return found;
    }
}
