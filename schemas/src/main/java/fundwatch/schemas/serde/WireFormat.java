package fundwatch.schemas.serde;

import fundwatch.schemas.registry.SchemaRegistryException;

/** The Confluent wire format: magic byte 0, a big-endian int schema id, then the Avro binary body. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /**
     * Whether a registry failure means "the registry could not answer" rather than "the registry
     * answered no". A 401/403 is ours to fix, not the record's, and a 404 without a 404xx error
     * code (subject/version/schema not found) is an unknown path: a wrong base URL or a proxy.
     */
    static boolean isOutage(SchemaRegistryException e) {
        return e.isRetriable() || e.status() == 401 || e.status() == 403 || e.status() == 407
                || (e.isNotFound() && !isNotFoundAnswer(e));
    }

    /** The registry itself says the subject, version or schema does not exist (error code 404xx). */
    static boolean isNotFoundAnswer(SchemaRegistryException e) {
        return e.isNotFound() && e.errorCode() / 100 == 404;
    }
}
