package fundwatch.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, on
 * {@link java.net.http.HttpClient}. Works against Confluent Schema Registry, Karapace, Redpanda
 * and Apicurio Registry's Confluent-compatible API (base URL {@code http://host:port/apis/ccompat/v7}).
 *
 * <ul>
 *   <li>Several base URLs: a connection failure moves on to the next one, and the one that answered
 *       is tried first next time.
 *   <li>Retries with exponential backoff on connection failures, 5xx and 429 only: any other 4xx
 *       is the caller's mistake and retrying cannot fix it.
 *   <li>Ids and schemas are cached; ids are immutable, so the cache never expires.
 * </ul>
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    // The same preference list Confluent's own client sends; v1 first because Apicurio produces only that.
    static final String ACCEPT =
            CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    // Confluent-style configuration keys read by fromConfig.
    public static final String URL_CONFIG = "schema.registry.url";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String PREFIXED_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
    // Read with or without the "schema.registry." prefix (the prefixed form wins), like Confluent's client.
    public static final String CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    public static final String MAX_RETRIES_CONFIG = "max.retries";
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";

    private final List<URI> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final AtomicInteger preferredUrl = new AtomicInteger();

    private final ConcurrentMap<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> lookedUpIds = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    private RestSchemaRegistryClient(Builder b) {
        List<URI> urls = new ArrayList<>();
        String userInfoFromUrl = null;
        for (String raw : b.urls) {
            URI uri = URI.create(raw.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("schema registry URL must be http(s)://host[:port][/path]: " + raw);
            }
            if (uri.getRawUserInfo() != null && userInfoFromUrl == null) {
                userInfoFromUrl = uri.getUserInfo();
            }
            // User info is sent as a header, not in the URL; a trailing slash would double up with our paths.
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            urls.add(URI.create(uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^.*@", "") + path));
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.baseUrls = List.copyOf(urls);
        String userInfo = b.userInfo != null ? b.userInfo : userInfoFromUrl;
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        if (b.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + b.maxAttempts);
        }
        this.maxAttempts = b.maxAttempts;
        this.initialBackoffMs = Math.max(0, b.initialBackoff.toMillis());
        this.maxBackoffMs = Math.max(initialBackoffMs, b.maxBackoff.toMillis());
        this.requestTimeout = b.requestTimeout;
        HttpClient.Builder hb = HttpClient.newBuilder()
                // HTTP/1.1: an h2c upgrade attempt confuses some registries behind proxies, and buys nothing here.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
    }

    public static Builder builder(String... urls) {
        return builder(Arrays.asList(urls));
    }

    public static Builder builder(List<String> urls) {
        return new Builder(urls);
    }

    /**
     * Builds a client from Confluent-style configuration (a Kafka/Streams config map may be passed
     * whole: unrelated keys are ignored).
     *
     * <ul>
     *   <li>{@code schema.registry.url}: comma-separated base URLs (required);
     *   <li>{@code schema.registry.basic.auth.user.info} or {@code basic.auth.user.info}:
     *       {@code user:password}; otherwise user info in the URL is used;
     *   <li>{@code schema.registry.ssl.truststore.location|password|type},
     *       {@code schema.registry.ssl.keystore.location|password|type},
     *       {@code schema.registry.ssl.key.password} (store type defaults to JKS, which also reads PKCS12);
     *   <li>{@code [schema.registry.]http.connect.timeout.ms}, {@code [schema.registry.]http.read.timeout.ms},
     *       {@code [schema.registry.]max.retries} (retries after the first attempt),
     *       {@code [schema.registry.]retries.wait.ms}, {@code [schema.registry.]retries.max.wait.ms}.
     * </ul>
     *
     * @throws ConfigException when the URL is missing or a value is malformed
     */
    public static RestSchemaRegistryClient fromConfig(Map<String, ?> config) {
        String urls = string(config, URL_CONFIG);
        if (urls == null) {
            throw new ConfigException(URL_CONFIG + " is required");
        }
        List<String> list = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Builder b = builder(list);
        String userInfo = string(config, PREFIXED_USER_INFO_CONFIG);
        if (userInfo == null) {
            userInfo = string(config, USER_INFO_CONFIG);
        }
        if (userInfo != null) {
            b.basicAuth(userInfo);
        }
        b.sslContext(sslContext(config));
        Long connectMs = longValue(config, CONNECT_TIMEOUT_MS_CONFIG);
        if (connectMs != null) {
            b.connectTimeout(Duration.ofMillis(connectMs));
        }
        Long readMs = longValue(config, READ_TIMEOUT_MS_CONFIG);
        if (readMs != null) {
            b.requestTimeout(Duration.ofMillis(readMs));
        }
        Long retries = longValue(config, MAX_RETRIES_CONFIG);
        if (retries != null) {
            b.maxAttempts((int) Math.min(Integer.MAX_VALUE - 1, Math.max(0, retries)) + 1);
        }
        Long waitMs = longValue(config, RETRIES_WAIT_MS_CONFIG);
        Long maxWaitMs = longValue(config, RETRIES_MAX_WAIT_MS_CONFIG);
        if (waitMs != null || maxWaitMs != null) {
            b.backoff(waitMs != null ? Duration.ofMillis(waitMs) : b.initialBackoff,
                    maxWaitMs != null ? Duration.ofMillis(maxWaitMs) : b.maxBackoff);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(URL_CONFIG, urls, e.getMessage());
        }
    }

    /** The base URLs in failover order, without user info. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response;
        try {
            response = send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Two instances registering the same new schema at once: Apicurio's Confluent API answers the loser
            // 409 ("artifact already exists") although the schema is now there. Registration is idempotent, so
            // the id is whatever the subject now holds for this schema; a real incompatibility (also 409) has none.
            try {
                int id = lookupId(subject, schema);
                registeredIds.putIfAbsent(key, id);
                return id;
            } catch (SchemaRegistryException notThere) {
                e.addSuppressed(notThere);
                throw e;
            }
        }
        int id = intField(response, "id");
        registeredIds.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = registeredIds.get(key);
        if (cached == null) {
            cached = lookedUpIds.get(key);
        }
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("POST", "/subjects/" + segment(subject), schemaBody(schema));
        int id = intField(response, "id");
        lookedUpIds.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null);
        String type = response.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException("schema " + id + " is " + type + ", not AVRO", 200, -1);
        }
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("response for schema " + id + " has no \"schema\" field", 200, -1);
        }
        // A parse failure (org.apache.avro.SchemaParseException) propagates: the id exists but is unusable.
        Schema schema = new Schema.Parser().parse(text.asText());
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response = send("POST",
                    "/compatibility/subjects/" + segment(subject) + "/versions/latest", schemaBody(schema));
            return response.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            // No subject (or no version) yet: anything may be registered.
            if (e.isNotFound() && (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND)) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", Objects.requireNonNull(level, "level"));
        send("PUT", "/config/" + segment(subject), body);
    }

    private static ObjectNode schemaBody(Schema schema) {
        // Self-contained JSON: named types inlined, so no "references" are needed.
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static int intField(JsonNode response, String field) {
        JsonNode value = response.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("registry response has no integer \"" + field + "\": " + response, 200, -1);
        }
        return value.intValue();
    }

    private static String segment(String subject) {
        // URLEncoder is for forms: a space must become %20 in a path, not '+'.
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        byte[] payload;
        try {
            payload = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot encode request body", SchemaRegistryException.NO_RESPONSE, -1, e);
        }
        long backoffMs = initialBackoffMs;
        for (int attempt = 1; ; attempt++) {
            try {
                return sendToAnyUrl(method, path, payload);
            } catch (SchemaRegistryException e) {
                if (!e.isRetriable() || attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warn("schema registry {} {} failed (attempt {}/{}), retrying in {} ms: {}",
                        method, path, attempt, maxAttempts, backoffMs, e.getMessage());
                pause(backoffMs, e);
                backoffMs = Math.min(maxBackoffMs, Math.max(1, backoffMs * 2));
            }
        }
    }

    private static void pause(long millis, SchemaRegistryException pending) {
        try {
            // Blocking is the point here: the caller (a serde) cannot make progress without the registry.
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            pending.addSuppressed(ie);
            throw pending;
        }
    }

    /** One attempt: every base URL in turn, starting with the last one that answered. */
    private JsonNode sendToAnyUrl(String method, String path, byte[] payload) {
        int start = preferredUrl.get();
        IOException lastFailure = null;
        for (int i = 0; i < baseUrls.size(); i++) {
            int index = (start + i) % baseUrls.size();
            URI uri = URI.create(baseUrls.get(index) + path);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(method, uri, payload), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted during " + method + " " + uri,
                        SchemaRegistryException.NO_RESPONSE, -1, e);
            }
            preferredUrl.set(index);
            return handle(method, uri, response);
        }
        throw new SchemaRegistryException("no schema registry reachable at " + baseUrls + " for " + method + " "
                + path + ": " + lastFailure, SchemaRegistryException.NO_RESPONSE, -1, lastFailure);
    }

    private HttpRequest request(String method, URI uri, byte[] payload) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(payload));
        if (payload != null) {
            rb.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        return rb.build();
    }

    private static JsonNode handle(String method, URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status >= 200 && status < 300) {
            if (body == null || body.length == 0) {
                return NullNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new SchemaRegistryException(method + " " + uri + ": unparsable response body", status, -1, e);
            }
        }
        int errorCode = -1;
        String message = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (error != null && error.isObject()) {
                errorCode = error.path("error_code").asInt(-1);
                message = error.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // A proxy or a wrong base URL answers with HTML: keep the raw text (shortened) as the message.
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        throw new SchemaRegistryException(method + " " + uri + " -> HTTP " + status
                + (errorCode >= 0 ? " error_code " + errorCode : "") + ": " + message, status, errorCode);
    }

    // ---- configuration helpers ----

    private static String string(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        String s = value instanceof Password p ? p.value() : value.toString();
        return s.isBlank() ? null : s.trim();
    }

    private static Long longValue(Map<String, ?> config, String key) {
        String s = string(config, "schema.registry." + key);
        if (s == null) {
            s = string(config, key);
        }
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, s, "must be a whole number");
        }
    }

    static SSLContext sslContext(Map<String, ?> config) {
        String trustLocation = string(config, TRUSTSTORE_LOCATION_CONFIG);
        String keyLocation = string(config, KEYSTORE_LOCATION_CONFIG);
        if (trustLocation == null && keyLocation == null) {
            return null; // the JDK default trust store applies to https URLs
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustLocation != null) {
                KeyStore trust = load(trustLocation, string(config, TRUSTSTORE_TYPE_CONFIG),
                        string(config, TRUSTSTORE_PASSWORD_CONFIG));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (keyLocation != null) {
                String storePassword = string(config, KEYSTORE_PASSWORD_CONFIG);
                KeyStore keys = load(keyLocation, string(config, KEYSTORE_TYPE_CONFIG), storePassword);
                String keyPassword = string(config, KEY_PASSWORD_CONFIG);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, chars(keyPassword != null ? keyPassword : storePassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot build the schema registry TLS context: " + e);
        }
    }

    private static KeyStore load(String location, String type, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type != null ? type : "JKS");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
        }
        return store;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    /** Settings for {@link RestSchemaRegistryClient}; defaults suit a registry on the same network. */
    public static final class Builder {
        private final List<String> urls;
        private String userInfo;
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(2);

        private Builder(List<String> urls) {
            this.urls = List.copyOf(urls);
        }

        /** HTTP basic auth as {@code user:password}. */
        public Builder basicAuth(String userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /** TLS context for https URLs (trust store, and key store for mutual TLS); null = JDK default. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Total attempts per call, including the first (default 5). */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Backoff before the second attempt, doubling up to {@code max} (default 100 ms → 2 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial);
            this.maxBackoff = Objects.requireNonNull(max);
            return this;
        }

        public RestSchemaRegistryClient build() {
            return new RestSchemaRegistryClient(this);
        }
    }
}
