package fundwatch.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that fundwatch needs. Implementations are
 * thread-safe: one instance is shared by every serde of an application.
 *
 * <p>Every method throws {@link SchemaRegistryException} on failure.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (or finds it if already registered) and
     * returns its global id. {@code POST /subjects/{subject}/versions}.
     */
    int register(String subject, Schema schema);

    /**
     * Returns the id of a schema that is already registered under {@code subject}; fails with
     * status 404 if it is not. {@code POST /subjects/{subject}}.
     */
    int lookupId(String subject, Schema schema);

    /** Returns the schema with the given global id. {@code GET /schemas/ids/{id}}. */
    Schema schemaById(int id);

    /**
     * Whether {@code schema} may be registered under {@code subject} given the subject's
     * compatibility level; {@code true} for a subject that does not exist yet.
     * {@code POST /compatibility/subjects/{subject}/versions/latest}.
     */
    boolean isCompatible(String subject, Schema schema);

    /**
     * Sets the subject's compatibility level (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD,
     * FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE). {@code PUT /config/{subject}}.
     */
    void setCompatibility(String subject, String level);
}
