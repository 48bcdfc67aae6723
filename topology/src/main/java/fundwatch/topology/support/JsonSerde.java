package fundwatch.topology.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for fundwatch's internal records (repartition topics and state stores), mapped by Jackson and tolerant of
 * added fields; it never crosses the external contract, which is Avro.
 *
 * <p>Written as Smile, Jackson's binary JSON: the same data model as JSON, but a detector reads and rewrites its
 * state on every event and the text parser was the largest single cost of the replay benchmark (README,
 * Performance). Read as Smile when the bytes start with Smile's {@code :)\n} header, else as JSON text, so state
 * and repartition records written by earlier builds still load. {@code jackson-dataformat-smile} has a CLI-free
 * decoder for inspecting a changelog by hand ({@link #toJson}).
 */
public final class JsonSerde<T> implements Serde<T> {
    private static final ObjectMapper SMILE = configure(new ObjectMapper(new SmileFactory()));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private final Class<T> type;
    private final ObjectWriter writer;
    private final ObjectReader smileReader;
    private final ObjectReader jsonReader;

    private JsonSerde(Class<T> type) {
        this.type = type;
        this.writer = SMILE.writerFor(type);
        this.smileReader = SMILE.readerFor(type);
        this.jsonReader = JSON.readerFor(type);
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .registerModule(new BlackbirdModule());
    }

    /** Smile's 4-byte header starts with ":)\n"; JSON text never does. */
    static boolean isSmile(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == ':' && bytes[1] == ')' && bytes[2] == '\n';
    }

    /** The record as JSON text, whichever of the two formats it was written in: for tools and debugging. */
    public static String toJson(byte[] bytes) throws IOException {
        ObjectMapper reader = isSmile(bytes) ? SMILE : JSON;
        return JSON.writeValueAsString(reader.readTree(bytes));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return writer.writeValueAsBytes(data);
            } catch (IOException e) {
                throw new SerializationException("cannot encode " + type.getSimpleName(), e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return (isSmile(bytes) ? smileReader : jsonReader).readValue(bytes);
            } catch (IOException e) {
                throw new SerializationException("cannot decode " + type.getSimpleName(), e);
            }
        };
    }
}
