package fundwatch.schemas.serde;

import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a generated Avro class. The writer schema is fetched by the
 * id in the header and resolved against {@code T}'s {@code SCHEMA$} (the reader schema), so records
 * written with older or newer schemas decode as long as Avro's resolution rules allow. One
 * {@link SpecificDatumReader} per writer id is built (and checked for compatibility) once and cached. Thread-safe: Kafka Streams
 * shares one instance between all stream threads.
 *
 * <p>{@code null} bytes (a tombstone) decode to {@code null}. Every other failure throws
 * {@link CodedSerializationException} whose message starts with a {@link DecodeErrors} code.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    // Per thread, and released after each record so it never pins a consumed batch.
    private static final ThreadLocal<BoundedBinaryDecoder> DECODER = ThreadLocal.withInitial(BoundedBinaryDecoder::new);

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final SpecificData model;
    private final ConcurrentMap<Integer, WriterReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /**
     * The reader for one writer schema, and whether Avro's compatibility check passed for the pair.
     * If it did, a type error while reading can only be corrupt data; if not (e.g. the writer has
     * enum symbols we lack), records may still decode until they use what we can't resolve.
     */
    private record WriterReader<T>(SpecificDatumReader<T> reader, String incompatibility) {}

    public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        // The class's own model carries its logical-type conversions (timestamp-millis -> Instant).
        this.model = SpecificData.getForClass(Objects.requireNonNull(type, "type"));
        this.readerSchema = model.getSchema(type);
    }

    /** The reader schema: {@code T}'s {@code SCHEMA$}. */
    public Schema readerSchema() {
        return readerSchema;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0) {
            throw new CodedSerializationException(DecodeErrors.TOO_SHORT, where(topic) + "empty value");
        }
        if (bytes[0] != WireFormat.MAGIC_BYTE) {
            throw new CodedSerializationException(DecodeErrors.UNKNOWN_MAGIC_BYTE,
                    where(topic) + String.format("first byte 0x%02x, expected 0x00", bytes[0] & 0xff));
        }
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new CodedSerializationException(DecodeErrors.TOO_SHORT,
                    where(topic) + bytes.length + " byte(s), the header alone is " + WireFormat.HEADER_SIZE);
        }
        int id = (bytes[1] & 0xff) << 24 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 8 | (bytes[4] & 0xff);
        WriterReader<T> writerReader = readerFor(topic, id);
        BoundedBinaryDecoder decoder = DECODER.get()
                .reset(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE);
        try {
            T value = writerReader.reader().read(null, decoder);
            if (decoder.remaining() > 0) {
                throw new CodedSerializationException(DecodeErrors.TRAILING_BYTES, where(topic) + "schema id " + id
                        + ": " + decoder.remaining() + " byte(s) left after the record");
            }
            return value;
        } catch (CodedSerializationException e) {
            throw e;
        } catch (EOFException e) {
            throw new CodedSerializationException(DecodeErrors.TRUNCATED, where(topic) + "schema id " + id
                    + ": body of " + (bytes.length - WireFormat.HEADER_SIZE) + " byte(s) ends inside the record", e);
        } catch (AvroTypeException e) {
            // Raised by the resolving decoder where writer and reader disagree (missing field
            // without default, unknown enum symbol, different type or record name) — or, for a
            // compatible pair, where corrupt data holds an out-of-range enum index.
            if (writerReader.incompatibility() != null) {
                throw new CodedSerializationException(DecodeErrors.UNRESOLVABLE_SCHEMA, where(topic) + "schema id " + id
                        + " cannot be read as " + readerSchema.getFullName() + ": " + e.getMessage() + " ("
                        + writerReader.incompatibility() + ")", e);
            }
            throw new CodedSerializationException(DecodeErrors.MALFORMED, where(topic) + "schema id " + id
                    + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new CodedSerializationException(DecodeErrors.MALFORMED, where(topic) + "schema id " + id
                    + ": " + e, e);
        } finally {
            decoder.release();
        }
    }

    private WriterReader<T> readerFor(String topic, int id) {
        WriterReader<T> reader = readersByWriterId.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (WireFormat.isOutage(e)) {
                throw new CodedSerializationException(DecodeErrors.REGISTRY_UNAVAILABLE,
                        where(topic) + "fetching schema id " + id + ": " + e.getMessage(), e);
            }
            if (WireFormat.isNotFoundAnswer(e)) {
                // Not cached: a schema registered a moment ago in another registry node may appear.
                throw new CodedSerializationException(DecodeErrors.UNKNOWN_SCHEMA_ID,
                        where(topic) + "schema id " + id + " is not in the registry: " + e.getMessage(), e);
            }
            throw new CodedSerializationException(DecodeErrors.UNRESOLVABLE_SCHEMA,
                    where(topic) + "schema id " + id + ": " + e.getMessage(), e);
        } catch (AvroRuntimeException e) {
            throw new CodedSerializationException(DecodeErrors.UNRESOLVABLE_SCHEMA,
                    where(topic) + "schema id " + id + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        String incompatibility = check.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE ? null
                : check.getResult().getIncompatibilities().stream()
                        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                        .collect(Collectors.joining("; "));
        reader = new WriterReader<>(new SpecificDatumReader<>(writerSchema, readerSchema, model), incompatibility);
        WriterReader<T> previous = readersByWriterId.putIfAbsent(id, reader);
        return previous != null ? previous : reader;
    }

    private static String where(String topic) {
        return "topic " + topic + ", ";
    }
}
