package fundwatch.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The HTTP surface on one port (CONTRACT.md, "Operating surface"): {@code GET /health} (Kafka Streams state;
 * 503 unless running or rebalancing), {@code GET /metrics} (Prometheus text format), {@code GET
 * /platforms/{id}} (live risk profile), {@code GET /platforms/{id}/series?days=90} (the D6 daily series) and
 * {@code GET /alerts?platformId=&detector=&limit=} (latest alert
 * revisions, newest first). Read-only: no endpoint changes state.
 */
public final class HttpApi {
    private final HttpServer server;

    private HttpApi(HttpServer server) {
        this.server = server;
    }

    public static HttpApi start(String bindAddress, int port, KafkaStreams streams, PrometheusMeterRegistry meters,
            PlatformQueries queries) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fundwatch-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", exchange -> {
            if (!allowGet(exchange)) {
                return;
            }
            KafkaStreams.State state = streams.state();
            boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            respond(exchange, up ? 200 : 503, "application/json",
                    "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"}");
        });
        server.createContext("/metrics", exchange -> {
            if (!allowGet(exchange)) {
                return;
            }
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape());
        });
        server.createContext("/platforms/", exchange -> {
            if (!allowGet(exchange)) {
                return;
            }
            String rawId = exchange.getRequestURI().getRawPath().substring("/platforms/".length());
            Map<String, String> q = query(exchange.getRequestURI());
            if (rawId.endsWith("/series")) {
                // GET /platforms/{id}/series?days=90: the D6 daily curve behind a RAPID_GROWTH alert.
                String platformId = URLDecoder.decode(rawId.substring(0, rawId.length() - "/series".length()),
                        StandardCharsets.UTF_8);
                guarded(exchange, () -> {
                    int days = q.containsKey("days") ? Integer.parseInt(q.get("days"))
                            : PlatformQueries.GrowthSeriesQuery.DEFAULT_DAYS;
                    Optional<String> body = queries.series(platformId, days, PlatformQueries.Scope.of(q.get("scope")));
                    if (body.isPresent()) {
                        respond(exchange, 200, JSON, body.get());
                    } else {
                        respond(exchange, 404, JSON, error("no movement of platform " + platformId + " seen yet"));
                    }
                });
                return;
            }
            String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
            guarded(exchange, () -> {
                Optional<String> body = queries.platform(id, PlatformQueries.Scope.of(q.get("scope")));
                if (body.isPresent()) {
                    respond(exchange, 200, JSON, body.get());
                } else {
                    respond(exchange, 404, JSON, error("platform " + id + " is not registered and has no findings"));
                }
            });
        });
        server.createContext("/alerts", exchange -> {
            if (!allowGet(exchange)) {
                return;
            }
            Map<String, String> q = query(exchange.getRequestURI());
            guarded(exchange, () -> {
                int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : PlatformQueries.DEFAULT_LIMIT;
                respond(exchange, 200, JSON, queries.alerts(blankToNull(q.get("platformId")),
                        blankToNull(q.get("detector")), limit, PlatformQueries.Scope.of(q.get("scope"))));
            });
        });
        server.start();
        return new HttpApi(server);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public void stop() {
        server.stop(0);
    }

    private static final String JSON = "application/json; charset=utf-8";

    private interface Handler {
        void handle() throws Exception;
    }

    private static void guarded(HttpExchange exchange, Handler handler) throws IOException {
        try {
            handler.handle();
        } catch (PlatformQueries.Unavailable e) {
            respond(exchange, 503, JSON, error(e.getMessage()));
        } catch (NumberFormatException e) {
            respond(exchange, 400, JSON, error("limit and days must be numbers"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, JSON, error("interrupted"));
        } catch (Exception e) {
            respond(exchange, 500, JSON, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static String error(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message).toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    private static boolean allowGet(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "GET");
            respond(exchange, 405, "text/plain", "method not allowed\n");
            return false;
        }
        return true;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
