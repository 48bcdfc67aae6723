package fundwatch.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.config.FundwatchConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP surface's guard, without a broker: a Kafka Streams client that is never started (so /health is 503
 * and the stores are not queryable), which is all the guard in front of the endpoints needs.
 */
class HttpSecurityTest {
    private static final String TOKEN = "case-system-7f3a9c";

    @TempDir
    Path dir;
    KafkaStreams streams;
    HttpApi api;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void streams() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("t", Consumed.with(Serdes.String(), Serdes.String()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-security-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        streams = new KafkaStreams(b.build(), p);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop();
        }
        streams.close();
    }

    private HttpApi start(HttpSettings settings) throws IOException {
        return HttpApi.start(settings, streams, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new PlatformQueries(streams, null, settings));
    }

    private Path tokensFile(String... lines) throws IOException {
        return Files.write(dir.resolve("tokens"), List.of(lines));
    }

    private HttpResponse<String> get(HttpClient c, String url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return c.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRefuseProtectedEndpointsWithoutAValidTokenAndServeThemWithOne() throws Exception {
        // Given authentication on with one token hash, and nothing left open.
        HttpSettings settings = new HttpSettings("127.0.0.1", 0,
                BearerTokens.load(tokensFile("# case systems", BearerTokens.sha256Hex(TOKEN) + " case-system")),
                Set.of(), null, null);
        api = start(settings);
        String base = "http://127.0.0.1:" + api.address().getPort();

        // Then every endpoint that returns parties, accounts or amounts answers 401 without a token or a wrong one.
        for (String path : List.of("/alerts?limit=5", "/platforms/P-1", "/platforms/P-1/series", "/metrics")) {
            HttpResponse<String> none = get(client, base + path, null);
            assertEquals(401, none.statusCode(), path);
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
            assertEquals(401, get(client, base + path, "case-system-7f3a9d").statusCode(), path + " wrong token");
        }
        // And with the token the request gets through: /metrics answers 200; /alerts reaches the store (503:
        // this Kafka Streams client was never started), not the guard.
        assertEquals(200, get(client, base + "/metrics", TOKEN).statusCode());
        assertEquals(503, get(client, base + "/alerts?limit=5", TOKEN).statusCode());
        // And /health is protected too when not listed as open.
        assertEquals(401, get(client, base + "/health", null).statusCode());
    }

    @Test
    void shouldLeaveHealthAndMetricsOpenBySetting() throws Exception {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0,
                BearerTokens.load(tokensFile(BearerTokens.sha256Hex(TOKEN))), HttpSettings.MAY_BE_OPEN, null, null);
        api = start(settings);
        String base = "http://127.0.0.1:" + api.address().getPort();
        // /health answers (503: Kafka Streams not running), /metrics 200, both without a token; /alerts still 401.
        assertEquals(503, get(client, base + "/health", null).statusCode());
        assertEquals(200, get(client, base + "/metrics", null).statusCode());
        assertEquals(401, get(client, base + "/alerts", null).statusCode());
    }

    @Test
    void shouldServeHttpsWithAPkcs12KeyStoreAndRequireTheTokenOverIt() throws Exception {
        // Given a self-signed certificate for 127.0.0.1, made now (no private key in the repository).
        Path keyStore = TestCertificates.selfSigned(dir.resolve("http.p12"));
        FundwatchConfig config = FundwatchConfig.load(null, Map.of(), Map.of(
                "http.port", "0",
                "http.ssl.enabled", "true",
                "http.ssl.keystore.location", keyStore.toString(),
                "http.ssl.keystore.password", "changeit",
                "http.auth.tokens.file", tokensFile(BearerTokens.sha256Hex(TOKEN)).toString()));
        HttpSettings settings = config.httpSettings();
        api = start(settings);
        String base = "https://127.0.0.1:" + api.address().getPort();

        // When a client that trusts the certificate connects: the TLS handshake completes and the guard applies.
        HttpClient trusting = HttpClient.newBuilder().sslContext(settings.peerTls()).build();
        assertEquals(401, get(trusting, base + "/alerts", null).statusCode());
        assertEquals(200, get(trusting, base + "/metrics", null).statusCode(), "open path over TLS");
        HttpResponse<String> alerts = get(trusting, base + "/alerts", TOKEN);
        assertEquals(503, alerts.statusCode(), alerts.body());

        // And a client that does not trust it is refused in the handshake; plain HTTP gets no answer.
        assertThrows(SSLHandshakeException.class, () -> get(client, base + "/metrics", null));
        assertThrows(IOException.class,
                () -> get(client, "http://127.0.0.1:" + api.address().getPort() + "/metrics", null));
        // And the password is masked in the effective configuration that is logged at start.
        assertTrue(config.describe().get("http.ssl.keystore.password").startsWith("******"));
    }

    @Test
    void shouldKeepOnlyHashesAndReloadTheTokensFileWhenItChanges() throws Exception {
        Path file = tokensFile(BearerTokens.sha256Hex(TOKEN) + " first");
        BearerTokens tokens = BearerTokens.load(file);
        assertEquals("first", tokens.check(TOKEN));
        assertNull(tokens.check(""));
        assertNull(tokens.check(null));
        assertNull(tokens.check(BearerTokens.sha256Hex(TOKEN)), "the hash itself is not a token");

        // When the token is rotated: the new one is accepted, the old one refused, without a restart.
        Files.write(file, List.of(BearerTokens.sha256Hex("rotated") + " second"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("second", tokens.check("rotated"));
        assertNull(tokens.check(TOKEN));

        // And a broken edit keeps the last good set instead of locking everyone out (or letting everyone in).
        Files.write(file, List.of("not-a-hash"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertNotNull(tokens.check("rotated"));
    }

    @Test
    void shouldRefuseBadSecuritySettingsAtStartWithoutEchoingSecrets() throws Exception {
        Path bad = tokensFile("s3cret-plain-token");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BearerTokens.load(bad));
        assertTrue(e.getMessage().contains("line 1") && !e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BearerTokens.load(tokensFile("# only a comment")));
        assertThrows(FundwatchConfig.ConfigException.class, () -> FundwatchConfig.load(null, Map.of(),
                Map.of("http.auth.open.paths", "/health,/alerts")));
        assertThrows(FundwatchConfig.ConfigException.class, () -> FundwatchConfig.load(null, Map.of(),
                Map.of("http.ssl.enabled", "yes")));
        assertThrows(FundwatchConfig.ConfigException.class, () -> FundwatchConfig.load(null, Map.of(),
                Map.of("http.ssl.enabled", "true")));
        // The default binds to the loopback interface.
        assertEquals("127.0.0.1", FundwatchConfig.load(null, Map.of(), Map.of()).httpBindAddress());
    }
}
