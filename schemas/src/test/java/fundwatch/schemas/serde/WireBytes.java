package fundwatch.schemas.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Builds wire-format bytes by hand, independently of the serializer under test. */
final class WireBytes {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Generic records here hold Instants (copied from generated records), so the model needs the conversion.
    private static final GenericData GENERIC = new GenericData();

    static {
        GENERIC.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private WireBytes() {
    }

    /** Plain Avro binary of a generated record, as Avro itself writes it. */
    static byte[] avroBinary(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            @SuppressWarnings("unchecked")
            SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>(record.getSchema(),
                    SpecificData.getForClass(record.getClass()));
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plain Avro binary of a generic record written with its own (possibly foreign) schema. */
    static byte[] genericBinary(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema(), GENERIC).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Avro's zig-zag varint encoding of a long. */
    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    /** Magic byte, big-endian id, body. */
    static byte[] frame(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
    }

    /**
     * A copy of {@code record}'s data under another schema version: fields the other schema lacks
     * are dropped, fields it adds take {@code extra}'s values (or their defaults).
     */
    static GenericRecord asGeneric(SpecificRecord record, Schema otherVersion, Consumer<GenericRecord> extra) {
        GenericRecord generic = new GenericData.Record(otherVersion);
        for (Schema.Field field : otherVersion.getFields()) {
            Schema.Field own = record.getSchema().getField(field.name());
            if (own == null) {
                generic.put(field.pos(), GenericData.get().getDefaultValue(field));
                continue;
            }
            // Generated enums are GenericEnumSymbols, and GenericData writes them by symbol name.
            generic.put(field.pos(), record.get(own.pos()));
        }
        extra.accept(generic);
        return generic;
    }

    /** {@code schema} with one field removed, as an older release without it would have had it. */
    static Schema withoutField(Schema schema, String field) {
        ObjectNode json = readTree(schema);
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(field)) {
                fields.remove(i);
                return new Schema.Parser().parse(json.toString());
            }
        }
        throw new IllegalArgumentException("no field " + field);
    }

    /** {@code schema} with one more field appended (JSON of the field definition). */
    static Schema withField(Schema schema, String fieldJson) {
        ObjectNode json = readTree(schema);
        try {
            ((ArrayNode) json.get("fields")).add(JSON.readTree(fieldJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Schema.Parser().parse(json.toString());
    }

    static ObjectNode readTree(Schema schema) {
        try {
            return (ObjectNode) JSON.readTree(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
