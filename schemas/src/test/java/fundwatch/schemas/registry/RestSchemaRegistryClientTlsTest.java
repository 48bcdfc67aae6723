package fundwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.CustodyTransaction;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS settings of fromConfig, against an HTTPS fake that also demands a client certificate. */
class RestSchemaRegistryClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Path keystore;

    @BeforeAll
    static void createSelfSignedCertificate() throws Exception {
        // One self-signed certificate for 127.0.0.1 serves as server cert, client cert and trust anchor.
        keystore = dir.resolve("registry.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), output);
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @Test
    void shouldTalkMutualTlsWithTrustAndKeyStoresFromConfig() throws Exception {
        // Given an HTTPS registry that requires a client certificate
        try (FakeConfluentRegistry registry = FakeConfluentRegistry.startHttps(serverContext(), true)) {
            Map<String, Object> config = Map.of(
                    "schema.registry.url", registry.url(),
                    "schema.registry.ssl.truststore.location", keystore.toString(),
                    "schema.registry.ssl.truststore.password", PASSWORD,
                    "schema.registry.ssl.truststore.type", "PKCS12",
                    "schema.registry.ssl.keystore.location", keystore.toString(),
                    "schema.registry.ssl.keystore.password", PASSWORD,
                    "schema.registry.ssl.keystore.type", "PKCS12");

            // When
            int id = RestSchemaRegistryClient.fromConfig(config).register("t-value", CustodyTransaction.getClassSchema());

            // Then
            assertEquals(1, id);
            assertEquals(1, registry.requests().size());
        }
    }

    @Test
    void shouldReportAnUntrustedRegistryCertificateAsAConnectionError() throws Exception {
        // Given an HTTPS registry whose certificate is in no trust store we use
        try (FakeConfluentRegistry registry = FakeConfluentRegistry.startHttps(serverContext(), false)) {
            RestSchemaRegistryClient client = RestSchemaRegistryClient.builder(List.of(registry.url()))
                    .maxAttempts(1).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();

            // When
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> client.register("t-value", CustodyTransaction.getClassSchema()));

            // Then
            assertEquals(SchemaRegistryException.NO_RESPONSE, e.status());
            assertEquals(0, registry.requests().size());
        }
    }
}
