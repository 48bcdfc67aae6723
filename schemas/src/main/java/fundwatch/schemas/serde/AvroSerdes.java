package fundwatch.schemas.serde;

import fundwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Value serdes for the contract records in the Confluent wire format. */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** A value serde for {@code type} that registers its schema under {@code <topic>-value} on first use. */
    public static <T extends SpecificRecord> Serde<T> forType(Class<T> type, SchemaRegistryClient registry) {
        return forType(type, registry, true);
    }

    /**
     * A value serde for {@code type}.
     *
     * @param autoRegister false where the schema must already be registered (the serializer then
     *     only looks its id up and fails with {@code schema-not-registered:} otherwise)
     */
    public static <T extends SpecificRecord> Serde<T> forType(Class<T> type, SchemaRegistryClient registry,
            boolean autoRegister) {
        return Serdes.serdeFrom(new ConfluentAvroSerializer<>(type, registry, autoRegister),
                new ConfluentAvroDeserializer<>(type, registry));
    }
}
