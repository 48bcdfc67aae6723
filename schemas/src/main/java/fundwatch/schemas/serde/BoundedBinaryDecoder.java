package fundwatch.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one byte array, reusable per thread, that never allocates more than the
 * input can justify.
 *
 * <p>Why not Avro's {@code BinaryDecoder}: it trusts length prefixes and block counts and allocates
 * them up front (a string length of 2 GB read from garbage allocates 2 GB, a block count of 2^31
 * pre-sizes a list), so one corrupt record could take a stream thread down with an
 * {@link OutOfMemoryError} instead of going to the dead-letter topic. Here a length beyond the
 * remaining bytes is an {@link EOFException} (the body is truncated) and a block count beyond the
 * remaining bytes is malformed. The latter rejects arrays/maps of zero-byte items (nulls, empty
 * records) longer than the body, which no contract schema has.
 */
final class BoundedBinaryDecoder extends Decoder {

    private byte[] buf = new byte[0];
    private int pos;
    private int limit;

    BoundedBinaryDecoder reset(byte[] bytes, int offset, int length) {
        this.buf = bytes;
        this.pos = offset;
        this.limit = offset + length;
        return this;
    }

    /** Drops the reference to the last input so a pooled decoder does not pin a large record. */
    void release() {
        this.buf = new byte[0];
        this.pos = 0;
        this.limit = 0;
    }

    int remaining() {
        return limit - pos;
    }

    private void require(long n) throws EOFException {
        if (n > limit - pos) {
            throw new EOFException("needs " + n + " more byte(s), " + (limit - pos) + " left");
        }
    }

    @Override
    public void readNull() {
        // null takes no bytes
    }

    @Override
    public boolean readBoolean() throws IOException {
        require(1);
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw new AvroRuntimeException("Malformed data: boolean byte " + b);
        }
        return b == 1;
    }

    @Override
    public int readInt() throws IOException {
        int raw = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new AvroRuntimeException("Malformed data: int varint longer than 5 bytes");
            }
            require(1);
            int b = buf[pos++] & 0xff;
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
    }

    @Override
    public long readLong() throws IOException {
        long raw = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 63) {
                throw new AvroRuntimeException("Malformed data: long varint longer than 10 bytes");
            }
            require(1);
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
    }

    @Override
    public float readFloat() throws IOException {
        require(4);
        int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        require(8);
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    private int length() throws IOException {
        long length = readLong();
        if (length < 0) {
            throw new AvroRuntimeException("Malformed data: negative length " + length);
        }
        require(length);
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length();
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(buf, pos, result.getBytes(), 0, length);
        pos += length;
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = length();
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    @Override
    public void skipString() throws IOException {
        int length = length(); // read before adding: `pos += length()` would add to the old pos
        pos += length;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length();
        // A fresh buffer: the record keeps it, and the input array belongs to the caller.
        ByteBuffer result = ByteBuffer.wrap(Arrays.copyOfRange(buf, pos, pos + length));
        pos += length;
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        int length = length(); // read before adding: `pos += length()` would add to the old pos
        pos += length;
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        require(length);
        System.arraycopy(buf, pos, bytes, start, length);
        pos += length;
    }

    @Override
    public void skipFixed(int length) throws IOException {
        require(length);
        pos += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    /** A block's item count; a negative count is followed by the block's byte size, unused here. */
    private long blockCount() throws IOException {
        long count = readLong();
        if (count < 0) {
            readLong();
            count = -count;
        }
        return checkCount(count);
    }

    private long checkCount(long count) {
        if (count < 0 || count > remaining()) {
            throw new AvroRuntimeException("Malformed data: block of " + count + " items in " + remaining() + " bytes");
        }
        return count;
    }

    @Override
    public long readArrayStart() throws IOException {
        return blockCount();
    }

    @Override
    public long arrayNext() throws IOException {
        return blockCount();
    }

    @Override
    public long readMapStart() throws IOException {
        return blockCount();
    }

    @Override
    public long mapNext() throws IOException {
        return blockCount();
    }

    /** Skips blocks that carry their byte size; returns the item count of the first that does not. */
    private long skipBlocks() throws IOException {
        while (true) {
            long count = readLong();
            if (count >= 0) {
                return checkCount(count);
            }
            long size = readLong();
            if (size < 0) {
                throw new AvroRuntimeException("Malformed data: negative block size " + size);
            }
            require(size);
            pos += (int) size;
        }
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks();
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks();
    }
}
