package fundwatch.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * /platforms/{id}} (live risk profile), {@code GET /platforms/{id}/series?days=90} (the D6 daily series),
 * {@code GET /alerts?platformId=&detector=&regionCode=&severity=&limit=} (latest alert revisions, newest first), the
 * look-through (D8): {@code GET /trace/accounts/{id}} and {@code GET /alerts/{alertId}/trace}, and {@code GET /ui/}
 * (the analyst page, static files). Read-only: no endpoint changes state. With {@code http.auth.tokens.file} set,
 * every endpoint but the open ones and the page's static files needs {@code Authorization: Bearer <token>}; with
 * {@code http.ssl.enabled}, HTTPS.
 */
public final class HttpApi {
    /** Access to protected endpoints, by token label: its own logger, so it can be routed to an audit file. */
    private static final Logger AUDIT = LoggerFactory.getLogger("fundwatch.audit.http");
    private final HttpServer server;

    private HttpApi(HttpServer server) {
        this.server = server;
    }

    public static HttpApi start(HttpSettings settings, KafkaStreams streams, PrometheusMeterRegistry meters,
            PlatformQueries queries) throws IOException {
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        HttpServer server;
        if (settings.tls()) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(settings.serverTls()));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fundwatch-http");
            t.setDaemon(true);
            return t;
        }));
        Guard guard = new Guard(settings);
        // The analyst page: static files only, without the guard — the browser loads them before the analyst has
        // typed a token, and they hold no data (the page asks the endpoints below for that, with the token).
        UiFiles ui = new UiFiles();
        server.createContext("/", exchange -> {
            if (allowGet(exchange)) {
                ui.handle(exchange);
            }
        });
        server.createContext("/health", exchange -> {
            if (!allowGet(exchange) || !guard.admits(exchange)) {
                return;
            }
            KafkaStreams.State state = streams.state();
            boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            respond(exchange, up ? 200 : 503, "application/json",
                    "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"}");
        });
        server.createContext("/metrics", exchange -> {
            if (!allowGet(exchange) || !guard.admits(exchange)) {
                return;
            }
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape());
        });
        server.createContext("/platforms/", exchange -> {
            if (!allowGet(exchange) || !guard.admits(exchange)) {
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
                    Optional<String> body = queries.series(platformId, days, PlatformQueries.Scope.of(q.get("scope")),
                            authorization(exchange));
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
                Optional<String> body = queries.platform(id, PlatformQueries.Scope.of(q.get("scope")),
                        authorization(exchange));
                if (body.isPresent()) {
                    respond(exchange, 200, JSON, body.get());
                } else {
                    respond(exchange, 404, JSON, error("platform " + id + " is not registered and has no findings"));
                }
            });
        });
        server.createContext("/alerts", exchange -> {
            if (!allowGet(exchange) || !guard.admits(exchange)) {
                return;
            }
            Map<String, String> q = query(exchange.getRequestURI());
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/alerts/") && path.endsWith("/trace")) {
                // GET /alerts/{alertId}/trace: a D8 alert's evidence, each final payment with its path to the origin.
                String alertId = URLDecoder.decode(path.substring("/alerts/".length(), path.length() - "/trace".length()),
                        StandardCharsets.UTF_8);
                guarded(exchange, () -> {
                    Optional<String> body = queries.alertTrace(alertId, PlatformQueries.Scope.of(q.get("scope")),
                            authorization(exchange));
                    if (body.isPresent()) {
                        respond(exchange, 200, JSON, body.get());
                    } else {
                        respond(exchange, 404, JSON, error("no look-through alert " + alertId + " is known"));
                    }
                });
                return;
            }
            if (!path.equals("/alerts") && !path.equals("/alerts/")) {
                respond(exchange, 404, JSON, error("no such resource: " + path));
                return;
            }
            guarded(exchange, () -> {
                int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : PlatformQueries.DEFAULT_LIMIT;
                respond(exchange, 200, JSON, queries.alerts(blankToNull(q.get("platformId")),
                        AlertFilter.of(q), limit, PlatformQueries.Scope.of(q.get("scope")), authorization(exchange)));
            });
        });
        server.createContext("/trace/accounts/", exchange -> {
            if (!allowGet(exchange) || !guard.admits(exchange)) {
                return;
            }
            Map<String, String> q = query(exchange.getRequestURI());
            String accountId = URLDecoder.decode(
                    exchange.getRequestURI().getRawPath().substring("/trace/accounts/".length()), StandardCharsets.UTF_8);
            guarded(exchange, () -> {
                Optional<String> body = queries.accountTrace(accountId, PlatformQueries.Scope.of(q.get("scope")),
                        authorization(exchange));
                respond(exchange, 200, JSON, body.orElseThrow());
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

    /**
     * Bearer-token check in front of every endpoint but the open ones (/health, /metrics by default), when
     * http.auth.tokens.file is set. A refused request gets 401 and, at most every 10 s, a WARN line with the
     * caller's address (never the token); an accepted one an INFO line with the token's label: who read what.
     */
    private static final class Guard {
        private static final long REFUSAL_LOG_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        private final HttpSettings settings;
        // Touched by the two HTTP threads; a lost update only miscounts a log line.
        private volatile long lastRefusalLog;
        private volatile long refusedSinceLog;

        Guard(HttpSettings settings) {
            this.settings = settings;
        }

        boolean admits(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            if (settings.tokens() == null || settings.openPaths().contains(path)) {
                return true;
            }
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).strip() : null;
            String label = settings.tokens().check(token);
            if (label == null) {
                refusedSinceLog++;
                long now = System.nanoTime();
                // At most one line per 10 s: a client hammering without a token must not fill the disk.
                if (now - lastRefusalLog > REFUSAL_LOG_INTERVAL_NANOS || lastRefusalLog == 0) {
                    AUDIT.warn("http 401 {} {} from {}: {} ({} refused since the last such line)",
                            exchange.getRequestMethod(), path, exchange.getRemoteAddress(),
                            token == null ? "no bearer token" : "unknown token", refusedSinceLog);
                    lastRefusalLog = now;
                    refusedSinceLog = 0;
                }
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"fundwatch\"");
                respond(exchange, 401, JSON, error("a bearer token is required (Authorization: Bearer <token>)"));
                return false;
            }
            AUDIT.info("http {} {} by {} from {}", exchange.getRequestMethod(), exchange.getRequestURI(), label,
                    exchange.getRemoteAddress());
            return true;
        }
    }

    private static String authorization(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Authorization");
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
