package fundwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Rate","namespace":"t","fields":[{"name":"id","type":"string"}]}""");
    private static final Schema V1_WITH_DOC = new Schema.Parser().parse("""
            {"type":"record","name":"Rate","namespace":"t","doc":"a rate","fields":[{"name":"id","type":"string"}]}""");
    private static final Schema V2_OPTIONAL = new Schema.Parser().parse("""
            {"type":"record","name":"Rate","namespace":"t","fields":[{"name":"id","type":"string"},
             {"name":"bps","type":["null","int"],"default":null}]}""");
    private static final Schema V2_REQUIRED = new Schema.Parser().parse("""
            {"type":"record","name":"Rate","namespace":"t","fields":[{"name":"id","type":"string"},
             {"name":"bps","type":"int"}]}""");

    @Test
    void shouldNumberIdsFromOneAndShareThemAcrossSubjectsLikeConfluent() {
        // Given
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

        // When the same schema goes under two subjects, and a second schema under one
        int a = registry.register("custody.transactions-value", CustodyTransaction.getClassSchema());
        int b = registry.register("custody.replay-value", CustodyTransaction.getClassSchema());
        int c = registry.register("clearing.payments-value", ClearingPayment.getClassSchema());

        // Then
        assertEquals(1, a);
        assertEquals(1, b);
        assertEquals(2, c);
        assertEquals(CustodyTransaction.getClassSchema(), registry.schemaById(1));
        assertEquals(Set.of("clearing.payments-value", "custody.replay-value", "custody.transactions-value"),
                registry.subjects());
    }

    @Test
    void shouldTreatSchemasWithTheSameParsingCanonicalFormAsTheSame() {
        // Given a schema registered without doc
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        int id = registry.register("rates-value", V1);

        // When the same schema with a doc string is registered and looked up
        // Then it is the same schema, not a new version
        assertEquals(id, registry.register("rates-value", V1_WITH_DOC));
        assertEquals(id, registry.lookupId("rates-value", V1_WITH_DOC));
        assertEquals(List.of(id), registry.versions("rates-value"));
    }

    @Test
    void shouldFailLookupsLikeConfluentWith404AndItsErrorCodes() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        registry.register("rates-value", V1);

        SchemaRegistryException noSubject = assertThrows(SchemaRegistryException.class,
                () -> registry.lookupId("other-value", V1));
        SchemaRegistryException noSchema = assertThrows(SchemaRegistryException.class,
                () -> registry.lookupId("rates-value", V2_OPTIONAL));
        SchemaRegistryException noId = assertThrows(SchemaRegistryException.class, () -> registry.schemaById(99));

        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, noSubject.errorCode());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, noSchema.errorCode());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, noId.errorCode());
        assertEquals(404, noId.status());
    }

    @Test
    void shouldEnforceBackwardCompatibilityByDefault() {
        // Given v1 registered
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        registry.register("rates-value", V1);

        // When / Then an optional new field is fine, a required one (no default) is a 409
        assertTrue(registry.isCompatible("rates-value", V2_OPTIONAL));
        assertFalse(registry.isCompatible("rates-value", V2_REQUIRED));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> registry.register("rates-value", V2_REQUIRED));
        assertEquals(409, e.status());
        assertEquals(SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
        assertEquals(2, registry.register("rates-value", V2_OPTIONAL));
    }

    @Test
    void shouldApplyThePerSubjectLevel() {
        // Given
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        registry.register("rates-value", V2_REQUIRED);

        // When FORWARD: the old schema must read data of the new one
        registry.setCompatibility("rates-value", "forward");

        // Then dropping a field that old readers require (bps, no default) is refused, and NONE allows anything
        assertFalse(registry.isCompatible("rates-value", V1));
        registry.setCompatibility("rates-value", "NONE");
        assertTrue(registry.isCompatible("rates-value", ClearingPayment.getClassSchema()));
        assertTrue(registry.isCompatible("unknown-subject", ClearingPayment.getClassSchema()));
        assertThrows(SchemaRegistryException.class, () -> registry.setCompatibility("rates-value", "SIDEWAYS"));
    }

    @Test
    void shouldCheckEveryVersionWhenTransitive() {
        // Given v1 → v2 (optional bps) under BACKWARD_TRANSITIVE
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("BACKWARD_TRANSITIVE");
        registry.register("rates-value", V1);
        registry.register("rates-value", V2_OPTIONAL);

        // When / Then a schema that reads v2 but not v1 (bps required) is refused
        assertFalse(registry.isCompatible("rates-value", V2_REQUIRED));
    }

    @Test
    void shouldHandOutOneIdWhenManyThreadsRegisterAtOnce() throws Exception {
        // Given
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String subject = "topic-" + (i % 4) + "-value";
                tasks.add(() -> registry.register(subject, CustodyTransaction.getClassSchema()));
            }

            // When
            Set<Integer> ids = new HashSet<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                ids.add(f.get());
            }

            // Then
            assertEquals(Set.of(1), ids);
            assertEquals(List.of(1), registry.versions("topic-0-value"));
        } finally {
            pool.shutdownNow();
        }
    }
}
