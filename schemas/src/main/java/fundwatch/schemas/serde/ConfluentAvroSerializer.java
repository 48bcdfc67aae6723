package fundwatch.schemas.serde;

import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format (magic 0, big-endian schema id, Avro
 * binary), with the subject of the TopicNameStrategy ({@code <topic>-value}, or {@code <topic>-key}
 * when configured as a key serializer).
 *
 * <p>The writer schema is always {@code T}'s {@code SCHEMA$}. Its id is asked of the registry once
 * per subject — registering it (default) or only looking it up — and cached. Thread-safe: Kafka
 * Streams shares one instance between all stream threads.
 *
 * <p>Failures throw {@link CodedSerializationException} with a {@link DecodeErrors} code.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Confluent's key for turning auto-registration on/off through {@link #configure}. */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";

    // Records above this size are rare; don't let one keep a large scratch buffer alive per thread.
    private static final int MAX_RETAINED_BUFFER = 1 << 20;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder;
    }

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final DatumWriter<T> writer;
    private final ConcurrentMap<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private volatile boolean autoRegister;
    private volatile boolean isKey;

    /** A value serializer that registers {@code T}'s schema on first use. */
    public ConfluentAvroSerializer(Class<T> type, SchemaRegistryClient registry) {
        this(type, registry, true);
    }

    /**
     * @param autoRegister true: register the schema (POST /subjects/{s}/versions); false: it must
     *     already be registered (POST /subjects/{s}), as where producers may not change the registry
     */
    public ConfluentAvroSerializer(Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        SpecificData model = SpecificData.getForClass(Objects.requireNonNull(type, "type"));
        this.schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.autoRegister = autoRegister;
    }

    /** Reads {@code auto.register.schemas} if present, and whether this serializes keys. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        Object auto = configs.get(AUTO_REGISTER_SCHEMAS_CONFIG);
        if (auto != null) {
            this.autoRegister = Boolean.parseBoolean(auto.toString().trim());
        }
        idBySubject.clear();
    }

    /** The writer schema: {@code T}'s {@code SCHEMA$}. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone stays a tombstone
        }
        int id = schemaId(topic);
        Scratch scratch = SCRATCH.get();
        ByteArrayOutputStream out = scratch.out;
        out.reset();
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            scratch.encoder = EncoderFactory.get().directBinaryEncoder(out, scratch.encoder);
            writer.write(data, scratch.encoder);
        } catch (IOException | RuntimeException e) {
            throw new CodedSerializationException(DecodeErrors.ENCODE_FAILED,
                    "topic " + topic + ", " + schema.getName() + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_RETAINED_BUFFER) {
            SCRATCH.remove();
        }
        return bytes;
    }

    private int schemaId(String topic) {
        String subject = WireFormat.subject(topic, isKey);
        Integer cached = idBySubject.get(subject);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema) : registry.lookupId(subject, schema);
        } catch (SchemaRegistryException e) {
            String detail = (autoRegister ? "registering " : "looking up ") + schema.getFullName()
                    + " under subject " + subject + ": " + e.getMessage();
            if (WireFormat.isOutage(e)) {
                throw new CodedSerializationException(DecodeErrors.REGISTRY_UNAVAILABLE, detail, e);
            }
            if (!autoRegister && WireFormat.isNotFoundAnswer(e)) {
                throw new CodedSerializationException(DecodeErrors.SCHEMA_NOT_REGISTERED, detail, e);
            }
            throw new CodedSerializationException(DecodeErrors.REGISTRY_REJECTED, detail, e);
        }
        idBySubject.putIfAbsent(subject, id);
        return id;
    }
}
