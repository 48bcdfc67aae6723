package fundwatch.topology.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary state, the format of the hot stores: a version byte, then fields in a fixed order as zig-zag
 * varints and length-prefixed UTF-8. A reader dispatches on the version byte, so a later field addition writes a
 * new version and still reads every older one (each codec has a test on bytes of its first version).
 *
 * <p>Why not Jackson or Avro: a detector reads and rewrites its state on every event, and a reflective or
 * schema-driven codec costs more per event than the detector's own arithmetic (README, Performance).
 */
public final class BinaryCodec {
    private BinaryCodec() {
    }

    /** How one state type is written and read. */
    public interface Format<T> {
        void write(T value, Writer out);

        /** @param version the first byte of the stored bytes */
        T read(int version, Reader in);

        int version();
    }

    public static <T> Serde<T> serde(Format<T> format) {
        Serializer<T> ser = (topic, value) -> value == null ? null : encode(format, value);
        Deserializer<T> de = (topic, bytes) -> bytes == null ? null : decode(format, bytes);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    /**
     * Writes {@code format}; reads it and also the Smile or JSON text that {@link JsonSerde} wrote for the same
     * type in earlier builds (a version byte is never ':' or '{'), so a store can change format without a reset.
     */
    public static <T> Serde<T> serdeReadingJson(Format<T> format, Class<T> type) {
        Deserializer<T> json = JsonSerde.of(type).deserializer();
        Serializer<T> ser = (topic, value) -> value == null ? null : encode(format, value);
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            return bytes.length > 0 && (bytes[0] == ':' || bytes[0] == '{') ? json.deserialize(topic, bytes)
                    : decode(format, bytes);
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    public static <T> byte[] encode(Format<T> format, T value) {
        Writer w = new Writer(64);
        w.buf[w.pos++] = (byte) format.version();
        format.write(value, w);
        return w.toBytes();
    }

    public static <T> T decode(Format<T> format, byte[] bytes) {
        if (bytes.length == 0) {
            throw new SerializationException("empty state value");
        }
        Reader r = new Reader(bytes, 1);
        try {
            return format.read(bytes[0] & 0xff, r);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("truncated state value (version " + (bytes[0] & 0xff) + ")", e);
        }
    }

    /** A growable byte buffer; not thread-safe, one per encode. */
    public static final class Writer {
        private byte[] buf;
        private int pos;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        public Writer varLong(long v) {
            ensure(10);
            long z = (v << 1) ^ (v >> 63);
            while ((z & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[pos++] = (byte) z;
            return this;
        }

        public Writer varInt(int v) {
            return varLong(v);
        }

        public Writer fixedLong(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        public Writer bool(boolean v) {
            ensure(1);
            buf[pos++] = (byte) (v ? 1 : 0);
            return this;
        }

        /** Null-safe: length −1 is null. */
        public Writer string(String s) {
            if (s == null) {
                return varInt(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads what a {@link Writer} wrote, in the same order. */
    public static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        public long varLong() {
            long z = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
                if (shift > 63) {
                    throw new SerializationException("varint longer than 10 bytes");
                }
            }
            return (z >>> 1) ^ -(z & 1);
        }

        public int varInt() {
            return Math.toIntExact(varLong());
        }

        public long fixedLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xffL);
            }
            return v;
        }

        public boolean bool() {
            return buf[pos++] != 0;
        }

        public String string() {
            int n = varInt();
            if (n < 0) {
                return null;
            }
            if (n > buf.length - pos) {
                throw new SerializationException("string length " + n + " beyond the value");
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public boolean atEnd() {
            return pos >= buf.length;
        }
    }
}
