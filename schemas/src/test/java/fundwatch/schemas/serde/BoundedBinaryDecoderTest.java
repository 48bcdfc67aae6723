package fundwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The bounded decoder must read exactly what Avro's own encoders write. */
class BoundedBinaryDecoderTest {

    private interface Writes {
        void to(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] encode(Writes writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writes.to(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static BoundedBinaryDecoder decoder(byte[] bytes) {
        return new BoundedBinaryDecoder().reset(bytes, 0, bytes.length);
    }

    @Test
    void shouldReadPrimitivesExactlyAsAvroWritesThem() throws IOException {
        // Given the edge values of every primitive, written by Avro's BinaryEncoder
        int[] ints = {0, -1, 1, 63, -64, 64, Integer.MAX_VALUE, Integer.MIN_VALUE};
        long[] longs = {0L, -1L, 1L, 1L << 35, Long.MAX_VALUE, Long.MIN_VALUE};
        byte[] bytes = encode(e -> {
            for (int i : ints) {
                e.writeInt(i);
            }
            for (long l : longs) {
                e.writeLong(l);
            }
            e.writeFloat(-3.25f);
            e.writeDouble(Math.PI);
            e.writeDouble(Double.NaN);
            e.writeBoolean(true);
            e.writeBoolean(false);
            e.writeString("鑫融宝 ✓");
            e.writeString("");
            e.writeBytes(new byte[] {1, 2, 3});
            e.writeFixed(new byte[] {9, 8});
            e.writeEnum(5);
            e.writeIndex(1);
        });

        // When / Then
        BoundedBinaryDecoder d = decoder(bytes);
        for (int i : ints) {
            assertEquals(i, d.readInt());
        }
        for (long l : longs) {
            assertEquals(l, d.readLong());
        }
        assertEquals(-3.25f, d.readFloat());
        assertEquals(Math.PI, d.readDouble());
        assertEquals(Double.NaN, d.readDouble());
        assertEquals(true, d.readBoolean());
        assertEquals(false, d.readBoolean());
        assertEquals(new Utf8("鑫融宝 ✓"), d.readString(null));
        assertEquals("", d.readString());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), d.readBytes(null));
        byte[] fixed = new byte[2];
        d.readFixed(fixed, 0, 2);
        assertArrayEquals(new byte[] {9, 8}, fixed);
        assertEquals(5, d.readEnum());
        assertEquals(1, d.readIndex());
        assertEquals(0, d.remaining());
    }

    @Test
    void shouldReadAndSkipBlockedCollectionsWithByteSizes() throws IOException {
        // Given a record written by Avro's blocking encoder (negative block counts followed by byte sizes)
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[
                  {"name":"xs","type":{"type":"array","items":"string"}},
                  {"name":"m","type":{"type":"map","values":"long"}},
                  {"name":"after","type":"int"}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("xs", List.of("a", "bb", "ccc"));
        record.put("m", Map.of("k", 42L));
        record.put("after", 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder blocking = EncoderFactory.get().blockingBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, blocking);
        blocking.flush();
        byte[] bytes = out.toByteArray();
        assertEquals(5, bytes[0], "zig-zag -3: a block of 3 items with its byte size");

        // When read in full, and when read by a reader that skips both collections
        GenericRecord read = new GenericDatumReader<GenericRecord>(schema).read(null, decoder(bytes));
        Schema onlyAfter = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"after\",\"type\":\"int\"}]}");
        BoundedBinaryDecoder skipping = decoder(bytes);
        GenericRecord skipped = new GenericDatumReader<GenericRecord>(schema, onlyAfter).read(null, skipping);

        // Then
        assertEquals(List.of(new Utf8("a"), new Utf8("bb"), new Utf8("ccc")), read.get("xs"));
        assertEquals(Map.of(new Utf8("k"), 42L), read.get("m"));
        assertEquals(7, skipped.get("after"));
        assertEquals(0, skipping.remaining());
    }

    @Test
    void shouldRefuseLengthsAndCountsTheInputCannotHold() throws IOException {
        // A string claiming 1000 bytes with 3 left is the end of the input, not an allocation
        assertThrows(EOFException.class, () -> decoder(concat(WireBytes.varint(1000), new byte[3])).readString());
        // A negative length is nonsense
        assertThrows(AvroRuntimeException.class, () -> decoder(WireBytes.varint(-5)).skipBytes());
        // An array of a million items in two bytes is nonsense
        assertThrows(AvroRuntimeException.class,
                () -> decoder(concat(WireBytes.varint(1_000_000), new byte[2])).readArrayStart());
        // An 11-byte varint is nonsense; a boolean is 0 or 1
        assertThrows(AvroRuntimeException.class, () -> decoder(new byte[] {
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}).readLong());
        assertThrows(AvroRuntimeException.class, () -> decoder(new byte[] {2}).readBoolean());
        // Reading past the end of a double is EOF
        assertThrows(EOFException.class, () -> decoder(new byte[4]).readDouble());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
