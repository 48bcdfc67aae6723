package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.http.BearerTokens;
import fundwatch.app.http.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with bearer tokens and HTTPS: a query that lands on the instance not owning the platform is
 * forwarded over HTTPS with the caller's token, so either instance answers 200 with the token and 401 without.
 */
@Timeout(240)
class HttpSecurityIT {
    private static final String TOKEN = "it-token-4b1d";

    @TempDir
    Path work;

    @Test
    void shouldForwardQueriesBetweenInstancesOverHttpsWithTheCallersToken() throws Exception {
        Path keyStore = TestCertificates.selfSigned(work.resolve("http.p12"));
        Path tokens = Files.write(work.resolve("tokens"), List.of(BearerTokens.sha256Hex(TOKEN) + " it"));
        try (TestStack stack = TestStack.start(work, 2)) {
            int portA = FundwatchIT.freePort();
            int portB = FundwatchIT.freePort();
            try (FundwatchRuntime a = new FundwatchRuntime(config(stack, "a", portA, keyStore, tokens), stack.registry);
                    FundwatchRuntime b = new FundwatchRuntime(config(stack, "b", portB, keyStore, tokens),
                            stack.registry)) {
                a.start();
                b.start();
                assertTrue(a.awaitRunning(Duration.ofSeconds(90)) && b.awaitRunning(Duration.ofSeconds(90)));
                HttpClient https = HttpClient.newBuilder().sslContext(FundwatchConfig.load(null, Map.of(), Map.of(
                        "http.ssl.enabled", "true", "http.ssl.keystore.location", keyStore.toString(),
                        "http.ssl.keystore.password", TestCertificates.PASSWORD)).httpSettings().peerTls()).build();

                // Given a bypass alert for P-SEC, whose state lives on one of the two instances.
                String bootstrap = stack.broker.bootstrapServers();
                ItSupport.registerPlatformWithGeneralAccount(bootstrap, stack.registry, "P-SEC", "GEN-SEC", "310000");
                // Each instance has the account in its global store before the payment that names it.
                for (int port : new int[] {portA, portB}) {
                    ItSupport.await(() -> get(https, "https://127.0.0.1:" + port + "/platforms/P-SEC", TOKEN).body()
                            .contains("\"accountId\":\"GEN-SEC\""), Duration.ofSeconds(90));
                }
                try (KafkaProducer<String, byte[]> p = ItSupport.producer(bootstrap)) {
                    p.send(new ProducerRecord<>(ItSupport.NAMES.clearingPayments(), "CARD-SEC",
                            ItSupport.encode(stack.registry, ItSupport.NAMES.clearingPayments(),
                                    ItSupport.bypass("PAY-SEC-1", "CARD-SEC", "GEN-SEC", 30_000_000, Instant.now()))));
                }
                // Then both instances answer the platform's profile and alerts with the token: one locally, the
                // other by forwarding over HTTPS with the same Authorization header.
                for (int port : new int[] {portA, portB}) {
                    String base = "https://127.0.0.1:" + port;
                    ItSupport.await(() -> {
                        HttpResponse<String> r = get(https, base + "/platforms/P-SEC", TOKEN);
                        return r.statusCode() == 200 && r.body().contains("\"CUSTODY_BYPASS\":1");
                    }, Duration.ofSeconds(90));
                    HttpResponse<String> alerts = get(https, base + "/alerts?platformId=P-SEC&limit=5", TOKEN);
                    assertEquals(200, alerts.statusCode(), alerts.body());
                    assertTrue(alerts.body().contains("PAY-SEC-1"), alerts.body());
                    HttpResponse<String> merged = get(https, base + "/alerts?detector=CUSTODY_BYPASS&limit=5", TOKEN);
                    assertEquals(200, merged.statusCode(), merged.body());
                    assertTrue(merged.body().contains("P-SEC"), "merged from both instances: " + merged.body());
                    // And nothing about the platform without the token; /health stays open for the healthcheck.
                    assertEquals(401, get(https, base + "/platforms/P-SEC", null).statusCode());
                    assertEquals(401, get(https, base + "/alerts?limit=5", null).statusCode());
                    assertEquals(200, get(https, base + "/health", null).statusCode());
                }
            }
        }
    }

    private FundwatchConfig config(TestStack stack, String name, int port, Path keyStore, Path tokens)
            throws java.io.IOException {
        return FundwatchConfig.load(null, Map.of(), Map.ofEntries(
                Map.entry("bootstrap.servers", stack.broker.bootstrapServers()),
                Map.entry("schema.registry.url", stack.registryProcess.url()),
                Map.entry("application.id", "fundwatch-http-security-it"),
                Map.entry("application.server", "127.0.0.1:" + port),
                Map.entry("state.dir", Files.createDirectories(work.resolve("state-" + name)).toString()),
                Map.entry("http.port", String.valueOf(port)),
                Map.entry("num.stream.threads", "1"),
                Map.entry("topics.partitions", "2"),
                Map.entry("http.auth.tokens.file", tokens.toString()),
                Map.entry("http.ssl.enabled", "true"),
                Map.entry("http.ssl.keystore.location", keyStore.toString()),
                Map.entry("http.ssl.keystore.password", TestCertificates.PASSWORD)));
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
