package fundwatch.app.runtime;

import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A real KRaft broker and Apicurio registry, with the contract's input topics: what every *IT runs against. */
final class TestStack implements AutoCloseable {
    final LocalKafkaBroker broker;
    final LocalSchemaRegistry registryProcess;
    final SchemaRegistryClient registry;

    private TestStack(LocalKafkaBroker broker, LocalSchemaRegistry registryProcess) {
        this.broker = broker;
        this.registryProcess = registryProcess;
        this.registry = RestSchemaRegistryClient.fromConfig(Map.of("schema.registry.url", registryProcess.url()));
    }

    static TestStack start(Path work, int inputPartitions) throws Exception {
        return start(work, inputPartitions, false);
    }

    /** @param persistentRegistry keep schemas across a registry restart (for outage tests) */
    static TestStack start(Path work, int inputPartitions, boolean persistentRegistry) throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().workDir(work.resolve("kafka")).build().start();
        LocalSchemaRegistry.Builder registryBuilder = LocalSchemaRegistry.builder().workDir(work.resolve("registry"));
        if (persistentRegistry) {
            registryBuilder.persistent();
        }
        LocalSchemaRegistry registry = registryBuilder.build().start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            TopicSetup.createInputs(admin, ItSupport.NAMES, inputPartitions, (short) 1);
        }
        return new TestStack(broker, registry);
    }

    @Override
    public void close() {
        registryProcess.close();
        broker.close();
    }
}
