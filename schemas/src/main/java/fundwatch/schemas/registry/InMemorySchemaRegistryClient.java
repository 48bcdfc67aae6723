package fundwatch.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * A schema registry in memory, for {@code TopologyTestDriver} tests and the fake registry of the
 * REST client tests. Behaves like Confluent's where tests can notice:
 *
 * <ul>
 *   <li>ids start at 1 and are global: the same schema gets the same id under every subject;
 *       "the same" means equal Avro Parsing Canonical Form, so docs and defaults do not matter;
 *   <li>registering checks the subject's compatibility level (BACKWARD unless set otherwise) and
 *       fails with status 409 like Confluent;
 *   <li>failures are {@link SchemaRegistryException}s with Confluent's statuses and error codes.
 * </ul>
 *
 * Thread-safe: every method is synchronized, which is plenty because serdes cache what they get.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private enum Level {
        NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

        boolean transitive() {
            return name().endsWith("_TRANSITIVE");
        }

        boolean backward() {
            return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        }

        boolean forward() {
            return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
        }

        static Level parse(String level) {
            try {
                return valueOf(level.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new SchemaRegistryException("Invalid compatibility level: " + level, 422,
                        SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
            }
        }
    }

    private final Level defaultLevel;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalForm = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, Level> levelBySubject = new HashMap<>();
    private int nextId = 1;

    /** A registry whose subjects default to BACKWARD compatibility, like Confluent's. */
    public InMemorySchemaRegistryClient() {
        this("BACKWARD");
    }

    /** A registry whose subjects default to {@code defaultCompatibility} (e.g. NONE). */
    public InMemorySchemaRegistryClient(String defaultCompatibility) {
        this.defaultLevel = Level.parse(defaultCompatibility);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String form = SchemaNormalization.toParsingForm(schema);
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Integer existing = idsByCanonicalForm.get(form);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!compatibleWithVersions(subject, schema)) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\" (" + levelOf(subject) + ")", 409, SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        }
        int id;
        if (existing != null) {
            id = existing;
        } else {
            id = nextId++;
            idsByCanonicalForm.put(form, id);
            schemasById.put(id, schema);
        }
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookupId(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404,
                    SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        Integer id = idsByCanonicalForm.get(SchemaNormalization.toParsingForm(schema));
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException("Schema not found under subject '" + subject + "'", 404,
                    SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404,
                    SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatibleWithVersions(subject, schema);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        levelBySubject.put(subject, Level.parse(level));
    }

    /** Subjects that have at least one version, sorted. */
    public synchronized Set<String> subjects() {
        return new TreeSet<>(versionsBySubject.keySet());
    }

    /** The ids registered under {@code subject}, oldest first (version 1 first). */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    private Level levelOf(String subject) {
        return levelBySubject.getOrDefault(subject, defaultLevel);
    }

    private boolean compatibleWithVersions(String subject, Schema candidate) {
        Level level = levelOf(subject);
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (level == Level.NONE || versions.isEmpty()) {
            return true;
        }
        List<Integer> against = level.transitive() ? versions : versions.subList(versions.size() - 1, versions.size());
        for (int id : against) {
            Schema previous = schemasById.get(id);
            if (level.backward() && !canRead(candidate, previous)) {
                return false;
            }
            if (level.forward() && !canRead(previous, candidate)) {
                return false;
            }
        }
        return true;
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
