package fundwatch.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyst page's static files under /ui/: served from the jar with their types, nothing else reachable. */
class UiFilesTest {
    @TempDir
    Path dir;
    KafkaStreams streams;
    HttpApi api;
    String base;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("t", Consumed.with(Serdes.String(), Serdes.String()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ui-files-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        streams = new KafkaStreams(b.build(), p);
        // Authentication on: the page's files must load without a token, the data must not.
        Path tokens = Files.write(dir.resolve("tokens"), List.of(BearerTokens.sha256Hex("analyst-token") + " analyst"));
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, BearerTokens.load(tokens), Set.of(), null, null);
        api = HttpApi.start(settings, streams, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new PlatformQueries(streams, null, settings));
        base = "http://127.0.0.1:" + api.address().getPort();
    }

    @AfterEach
    void stop() {
        api.stop();
        streams.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line for a path sent exactly as given: no client normalises "..". */
    private String rawStatus(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void shouldServeTheIndexAndItsFilesWithTheirTypesWithoutAToken() throws Exception {
        HttpResponse<String> index = get("/ui/");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(index.body().contains("<title>fundwatch"), "the analyst page itself");
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(index.body(), get("/ui/index.html").body());

        HttpResponse<String> js = get("/ui/app.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/css; charset=utf-8", get("/ui/app.css").headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> lib = get("/ui/vendor/cytoscape-3.35.0.min.js");
        assertEquals(200, lib.statusCode());
        assertTrue(lib.headers().firstValue("Cache-Control").orElse("").contains("max-age"), "versioned: cached");
        // Every script the page names is there: nothing comes from a CDN.
        java.util.regex.Matcher src = java.util.regex.Pattern.compile("src=\"([^\"]+)\"").matcher(index.body());
        int scripts = 0;
        while (src.find()) {
            assertFalse(src.group(1).contains("//"), "a local file, not " + src.group(1));
            assertEquals(200, get("/ui/" + src.group(1)).statusCode(), src.group(1));
            scripts++;
        }
        assertTrue(scripts >= 2, "the page loads the graph library and its own script");

        // A revalidation with the ETag costs a 304, no body.
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/ui/app.js", "If-None-Match", etag).statusCode());
        // The data behind the page stays behind the token.
        assertEquals(401, get("/alerts?limit=5").statusCode());
    }

    @Test
    void shouldRedirectToTheSlashAndRefuseEverythingOutsideThePagesFiles() throws Exception {
        HttpResponse<String> bare = get("/ui");
        assertEquals(301, bare.statusCode());
        assertEquals("/ui/", bare.headers().firstValue("Location").orElseThrow());
        assertEquals(301, get("/").statusCode());
        assertEquals(404, get("/ui/nope.html").statusCode());
        assertEquals(404, get("/nope").statusCode());
        // Traversal, encoded or not, hidden files and class files next to the page's folder: refused before lookup.
        for (String path : List.of("/ui/../", "/ui/../fundwatch-defaults.properties", "/ui/%2e%2e/log4j2.xml",
                "/ui/vendor/../../log4j2.xml", "/ui/.hidden", "/ui//etc/passwd", "/ui/..%2f..%2fpom.xml",
                "/ui/vendor\\..\\x")) {
            assertEquals("HTTP/1.1 400 Bad Request", rawStatus(path), path);
        }
        assertEquals(404, get("/ui/../../fundwatch/app/http/HttpApi.class".replace("../../", "x/")).statusCode());
        // Read-only like the rest.
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/ui/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }
}
