package fundwatch.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * An in-process fake of the Confluent Schema Registry REST API (the endpoints fundwatch uses),
 * backed by {@link InMemorySchemaRegistryClient}, that records every request and can be scripted
 * to fail. The base path can imitate Apicurio's {@code /apis/ccompat/v7}.
 */
public final class FakeConfluentRegistry implements AutoCloseable {

    /** One request as the server saw it; header names are lower-case. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private record Failure(int status, int errorCode, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpServer server;
    private final String scheme;
    private final String basePath;
    private final InMemorySchemaRegistryClient backend = new InMemorySchemaRegistryClient();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Failure> scripted = new ConcurrentLinkedDeque<>();
    private volatile Failure always;
    private volatile String requiredAuthorization;

    private FakeConfluentRegistry(HttpServer server, String scheme, String basePath) {
        this.server = server;
        this.scheme = scheme;
        this.basePath = basePath;
        server.createContext(basePath.isEmpty() ? "/" : basePath, this::handle);
        server.start();
    }

    /** A plain-HTTP fake on a free loopback port; {@code basePath} "" or e.g. "/apis/ccompat/v7". */
    public static FakeConfluentRegistry start(String basePath) {
        try {
            return new FakeConfluentRegistry(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http", basePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS fake; with {@code needClientAuth} the client must present a certificate it trusts. */
    public static FakeConfluentRegistry startHttps(SSLContext context, boolean needClientAuth) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientAuth);
                    params.setSSLParameters(ssl);
                }
            });
            return new FakeConfluentRegistry(https, "https", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    public InMemorySchemaRegistryClient backend() {
        return backend;
    }

    /** The next request is answered with this failure instead (queue several for several). */
    public void failNext(int status, int errorCode, String message) {
        scripted.add(new Failure(status, errorCode, message));
    }

    /** Every request is answered with {@code status} until {@link #recover()}. */
    public void failAlways(int status) {
        always = new Failure(status, status * 100 + 1, "scripted failure");
    }

    public void recover() {
        always = null;
        scripted.clear();
    }

    /** Requests without this basic-auth user info get 401. */
    public void requireBasicAuth(String userInfo) {
        requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests with this method whose path (below the base path) equals {@code path}. */
    public long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(basePath.length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), new ArrayList<>(v)));
            Request request = new Request(exchange.getRequestMethod(), path, headers, body);
            requests.add(request);

            Failure failure = always != null ? always : scripted.poll();
            if (failure != null) {
                error(exchange, failure.status(), failure.errorCode(), failure.message());
                return;
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(request.header("Authorization"))) {
                error(exchange, 401, 401, "Unauthorized");
                return;
            }
            try {
                respond(exchange, 200, route(request));
            } catch (SchemaRegistryException e) {
                error(exchange, e.status(), e.errorCode(), e.getMessage());
            } catch (SchemaParseException e) {
                error(exchange, 422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
            }
        }
    }

    private JsonNode route(Request request) throws IOException {
        String[] p = request.path().split("/");
        String method = request.method();
        // p[0] is "" because the path starts with '/'
        if (method.equals("POST") && p.length == 4 && p[1].equals("subjects") && p[3].equals("versions")) {
            return JSON.createObjectNode().put("id", backend.register(p[2], schemaOf(request)));
        }
        if (method.equals("POST") && p.length == 3 && p[1].equals("subjects")) {
            Schema schema = schemaOf(request);
            int id = backend.lookupId(p[2], schema);
            return JSON.createObjectNode().put("subject", p[2]).put("id", id)
                    .put("version", backend.versions(p[2]).indexOf(id) + 1)
                    .put("schema", backend.schemaById(id).toString());
        }
        if (method.equals("GET") && p.length == 4 && p[1].equals("schemas") && p[2].equals("ids")) {
            return JSON.createObjectNode().put("schema", backend.schemaById(Integer.parseInt(p[3])).toString());
        }
        if (method.equals("POST") && p.length == 6 && p[1].equals("compatibility") && p[2].equals("subjects")
                && p[4].equals("versions") && p[5].equals("latest")) {
            if (!backend.subjects().contains(p[3])) {
                throw new SchemaRegistryException("Subject '" + p[3] + "' not found.", 404,
                        SchemaRegistryException.SUBJECT_NOT_FOUND);
            }
            return JSON.createObjectNode().put("is_compatible", backend.isCompatible(p[3], schemaOf(request)));
        }
        if (method.equals("PUT") && p.length == 3 && p[1].equals("config")) {
            String level = JSON.readTree(request.body()).path("compatibility").asText();
            backend.setCompatibility(p[2], level);
            return JSON.createObjectNode().put("compatibility", level);
        }
        throw new SchemaRegistryException("HTTP 404 Not Found", 404, 404);
    }

    private static Schema schemaOf(Request request) throws IOException {
        if (!CONTENT_TYPE.equals(request.header("Content-Type"))) {
            throw new SchemaRegistryException("unsupported content type " + request.header("Content-Type"), 415, 415);
        }
        return new Schema.Parser().parse(JSON.readTree(request.body()).path("schema").asText());
    }

    private static void error(HttpExchange exchange, int status, int errorCode, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error_code", errorCode).put("message", message);
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
