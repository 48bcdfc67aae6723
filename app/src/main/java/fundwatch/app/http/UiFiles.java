package fundwatch.app.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The analyst page's static files under {@code /ui/}, read from the jar ({@code fundwatch/ui/} on the class path):
 * no file system path is ever built from a request, and a request path is served only when every segment is a
 * plain name (letters, digits, {@code . _ -}, not starting with a dot), so {@code ..}, encoded characters and
 * hidden files are refused before any lookup. The files hold no data — the page fetches that from the JSON
 * endpoints with the analyst's token — so they are served without one.
 */
final class UiFiles {
    static final String PREFIX = "/ui/";
    private static final String ROOT = "fundwatch/ui/";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");
    /**
     * Scripts, styles and data from this origin only: a value that slipped past the page's escaping still cannot
     * load or run anything. Inline styles stay allowed because the graph library sets element styles.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    /** Only files that exist are kept: the jar's few files bound it, however many names are probed. */
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    UiFiles() {
        this(UiFiles.class.getClassLoader());
    }

    UiFiles(ClassLoader loader) {
        this.loader = loader;
    }

    void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath();
        if (raw.equals("/") || raw.equals("/ui")) {
            // The page's relative links need the trailing slash; "/" leads an analyst who types the bare address.
            exchange.getResponseHeaders().set("Location", PREFIX);
            send(exchange, 301, "text/plain; charset=utf-8", "see /ui/\n".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        if (!raw.startsWith(PREFIX)) {
            send(exchange, 404, "application/json; charset=utf-8",
                    "{\"error\":\"no such endpoint\"}".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        String name = raw.substring(PREFIX.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (!SAFE.matcher(name).matches()) {
            send(exchange, 400, "text/plain; charset=utf-8", "bad path\n".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        Asset asset = asset(name);
        if (asset == null) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        // Versioned vendor files never change under their name; the page's own files revalidate (cheap: a 304).
        exchange.getResponseHeaders().set("Cache-Control",
                name.startsWith("vendor/") ? "public, max-age=86400" : "no-cache");
        exchange.getResponseHeaders().set("ETag", asset.etag());
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (asset.etag().equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        send(exchange, 200, asset.contentType(), asset.bytes(), name);
    }

    private Asset asset(String name) throws IOException {
        Asset cached = loaded.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            int dot = name.lastIndexOf('.');
            String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
            Asset asset = new Asset(bytes, type, etag(bytes));
            loaded.put(name, asset);
            return asset;
        }
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, String name)
            throws IOException {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        if (name != null && name.endsWith(".html")) {
            h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
