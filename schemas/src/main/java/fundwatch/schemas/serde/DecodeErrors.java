package fundwatch.schemas.serde;

import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The stable short codes that start the message of every serde failure. The message becomes the
 * dead-letter reason ({@code fundwatch.error} header) and the code a metric label, so codes never
 * change once released.
 *
 * <p>Only {@link #REGISTRY_UNAVAILABLE} says nothing about the record: the registry could not be
 * asked. A dead-letter handler must not treat it as a bad record (see {@link #isRegistryOutage}).
 */
public final class DecodeErrors {

    /** Byte 0 is not the Confluent magic byte 0: not our wire format (e.g. JSON or raw Avro). */
    public static final String UNKNOWN_MAGIC_BYTE = "unknown-magic-byte";
    /** Fewer than the 5 header bytes. */
    public static final String TOO_SHORT = "too-short";
    /** The registry has no schema with the id in the header. */
    public static final String UNKNOWN_SCHEMA_ID = "unknown-schema-id";
    /** The registry could not be reached, failed (5xx/429) after retries, or refused our credentials. */
    public static final String REGISTRY_UNAVAILABLE = "registry-unavailable";
    /** The writer schema cannot be resolved to the reader schema (or is not a usable Avro schema). */
    public static final String UNRESOLVABLE_SCHEMA = "unresolvable-schema";
    /** The body ends before the record does. */
    public static final String TRUNCATED = "truncated";
    /** The body continues after the record ends. */
    public static final String TRAILING_BYTES = "trailing-bytes";
    /** The body is not valid Avro binary for the writer schema (bad varint, boolean, block count …). */
    public static final String MALFORMED = "malformed";
    /** Serializer: auto-registration is off and the schema is not registered under the subject. */
    public static final String SCHEMA_NOT_REGISTERED = "schema-not-registered";
    /** Serializer: the registry refused the schema (409 incompatible, 422 invalid, …). */
    public static final String REGISTRY_REJECTED = "registry-rejected";
    /** Serializer: the record cannot be written with its schema (e.g. null in a required field). */
    public static final String ENCODE_FAILED = "encode-failed";
    /** Returned by {@link #code} for an exception that carries none of the codes above. */
    public static final String OTHER = "other";

    public static final Set<String> CODES = Set.of(UNKNOWN_MAGIC_BYTE, TOO_SHORT, UNKNOWN_SCHEMA_ID,
            REGISTRY_UNAVAILABLE, UNRESOLVABLE_SCHEMA, TRUNCATED, TRAILING_BYTES, MALFORMED,
            SCHEMA_NOT_REGISTERED, REGISTRY_REJECTED, ENCODE_FAILED);

    private DecodeErrors() {
    }

    /**
     * The code of a serde failure, looking through wrapping exceptions (Kafka Streams may wrap
     * the deserializer's exception); {@link #OTHER} if there is none.
     */
    public static String code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CodedSerializationException coded) {
                return coded.code();
            }
            if (t instanceof SerializationException && t.getMessage() != null) {
                int colon = t.getMessage().indexOf(':');
                if (colon > 0 && CODES.contains(t.getMessage().substring(0, colon))) {
                    return t.getMessage().substring(0, colon);
                }
            }
        }
        return OTHER;
    }

    /** True when the failure is the registry's, not the record's: retry or stop, don't dead-letter. */
    public static boolean isRegistryOutage(Throwable failure) {
        return REGISTRY_UNAVAILABLE.equals(code(failure));
    }
}
