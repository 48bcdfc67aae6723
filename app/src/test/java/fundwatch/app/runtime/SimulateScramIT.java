package fundwatch.app.runtime;

import static fundwatch.app.runtime.ItSupport.NAMES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.cli.FundwatchCli;
import fundwatch.app.local.LocalKafkaBroker;
import fundwatch.app.local.LocalSchemaRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue #20's last bar: {@code simulate --config secured.properties} reaches a broker that requires SASL/SCRAM, with
 * every client setting (bootstrap, security.protocol, sasl.*) taken from the file — and a wrong password fails the
 * command instead of hanging it.
 */
@Timeout(240)
class SimulateScramIT {
    static final String USER = "fundwatch-sim";
    static final String PASSWORD = "sim-secret-256";
    @TempDir
    static Path work;
    static LocalKafkaBroker broker;
    static LocalSchemaRegistry registry;

    @BeforeAll
    static void startTheStack() throws Exception {
        broker = LocalKafkaBroker.builder().workDir(work.resolve("kafka")).scramUser(USER, PASSWORD).build().start();
        registry = LocalSchemaRegistry.builder().workDir(work.resolve("registry")).build().start();
        // The operator's input topics, created over the plaintext listener (the test's admin side).
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            TopicSetup.createInputs(admin, NAMES, 1, (short) 1);
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldPublishTheMarketThroughTheScramListener() throws Exception {
        Path secured = securedProperties("secured.properties", PASSWORD, "");

        Outcome o = simulate(secured);

        assertEquals(0, o.exit, o.err);
        // Records arrived on the input topics: the registry records and payments.
        assertTrue(ItSupport.readRaw(broker.bootstrapServers(), NAMES.platforms()).size() >= 2, "platforms");
        assertTrue(ItSupport.readRaw(broker.bootstrapServers(), NAMES.accounts()).size() >= 2, "accounts");
        assertTrue(!ItSupport.readRaw(broker.bootstrapServers(), NAMES.clearingPayments()).isEmpty()
                || !ItSupport.readRaw(broker.bootstrapServers(), NAMES.custodyTransactions()).isEmpty(), "payments");
    }

    @Test
    void shouldFailNotHangWithAWrongPassword() throws Exception {
        Path wrong = securedProperties("wrong.properties", "not-the-password",
                "max.block.ms=10000\nrequest.timeout.ms=5000\ndelivery.timeout.ms=15000\n"
                        + "default.api.timeout.ms=10000\n");

        Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> simulate(wrong));

        assertEquals(1, o.exit, o.err); // a failure of the outside world, not a bad command line (2)
        assertTrue(o.err.contains("uthentication"), o.err);
    }

    private static Path securedProperties(String name, String password, String extra) throws Exception {
        String text = String.join("\n",
                "bootstrap.servers=" + broker.saslBootstrapServers(),
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-256",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";",
                "schema.registry.url=" + registry.url(),
                "") + extra;
        return Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
    }

    private record Outcome(int exit, String err) {
    }

    private static Outcome simulate(Path config) {
        StringWriter err = new StringWriter();
        CommandLine cl = FundwatchCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("simulate", "--config", config.toString(), "--days", "1", "--platforms", "2",
                "--schemes", "none", "--progress", "none");
        return new Outcome(exit, err.toString());
    }
}
