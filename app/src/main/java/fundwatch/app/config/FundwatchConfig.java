package fundwatch.app.config;

import fundwatch.app.http.BearerTokens;
import fundwatch.app.http.HttpSettings;
import fundwatch.topology.StateStoreKind;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * fundwatch's configuration, layered: built-in defaults < config file < {@code FUNDWATCH_*} environment
 * variables < command-line flags. One factory for `main` and the tests. Unknown keys and settings that would
 * break fundwatch's guarantees fail at startup, loudly, naming the key and where it came from.
 */
public final class FundwatchConfig {
    public static final String ENV_PREFIX = "FUNDWATCH_";
    /** Environment variables the launcher script itself reads; they are not configuration keys. */
    private static final Set<String> LAUNCHER_ENV = Set.of("FUNDWATCH_HOME", "FUNDWATCH_JAVA_OPTS",
            "FUNDWATCH_OFFLINE", "FUNDWATCH_LOG_FORMAT", "FUNDWATCH_CHANGED_BY");
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.TOPIC_PREFIX);
    private static final Set<String> REGISTRY_KEYS = Set.of("schema.registry.url", "basic.auth.user.info",
            "schema.registry.basic.auth.user.info", "schema.registry.ssl.truststore.location",
            "schema.registry.ssl.truststore.password", "schema.registry.ssl.truststore.type",
            "schema.registry.ssl.keystore.location", "schema.registry.ssl.keystore.password",
            "schema.registry.ssl.keystore.type");

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private FundwatchConfig(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = origins;
    }

    public static FundwatchConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new TreeMap<>();
        Properties defaults = defaults();
        Set<String> fundwatchKeys = new TreeSet<>(defaults.stringPropertyNames());
        for (String key : new TreeSet<>(defaults.stringPropertyNames())) {
            put(values, origins, key, defaults.getProperty(key), "built-in default");
        }
        if (file != null) {
            Properties fromFile = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                fromFile.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            for (String key : new TreeSet<>(fromFile.stringPropertyNames())) {
                put(values, origins, key, fromFile.getProperty(key).trim(), "config file " + file);
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && !LAUNCHER_ENV.contains(e.getKey())) {
                String key = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '.');
                put(values, origins, key, e.getValue(), "environment " + e.getKey());
            }
        }
        flags.forEach((k, v) -> put(values, origins, k, v, "flag --" + k));
        values.replaceAll((k, v) -> v.replace("${user.home}", System.getProperty("user.home")));
        FundwatchConfig config = new FundwatchConfig(values, origins);
        config.validate(fundwatchKeys);
        return config;
    }

    private static void put(Map<String, String> values, Map<String, String> origins, String key, String value,
            String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }

    private static Properties defaults() {
        Properties p = new Properties();
        try (InputStream in = FundwatchConfig.class.getResourceAsStream("/fundwatch-defaults.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("fundwatch-defaults.properties missing from the classpath", e);
        }
        return p;
    }

    private void validate(Set<String> fundwatchKeys) {
        Set<String> kafkaKeys = new TreeSet<>();
        kafkaKeys.addAll(StreamsConfig.configDef().names());
        kafkaKeys.addAll(ProducerConfig.configNames());
        kafkaKeys.addAll(ConsumerConfig.configNames());
        kafkaKeys.addAll(AdminClientConfig.configNames());
        List<String> problems = new ArrayList<>();
        for (String key : values.keySet()) {
            boolean known = fundwatchKeys.contains(key) || kafkaKeys.contains(key) || REGISTRY_KEYS.contains(key)
                    || CLIENT_PREFIXES.stream().anyMatch(key::startsWith);
            if (!known) {
                problems.add("unknown key '" + key + "' (from " + origins.get(key) + ")");
            }
        }
        String guarantee = values.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            problems.add("processing.guarantee must be exactly_once_v2 (alerts are exactly-once), got '" + guarantee
                    + "' from " + origins.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        }
        try {
            int port = httpPort();
            if (port < 0 || port > 65535) {
                problems.add("http.port out of range: " + port);
            }
            topicNames();
            topologySettings();
            alertRetention();
            deadLetterRetention();
            openPaths();
            sslEnabled();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException("missing configuration key " + key);
        }
        return v;
    }

    public String origin(String key) {
        return origins.get(key);
    }

    public int httpPort() {
        return intValue("http.port");
    }

    public String httpBindAddress() {
        return get("http.bind.address");
    }

    /** The listening socket, the tokens file and the TLS contexts, read now (files are read at start only). */
    public HttpSettings httpSettings() {
        BearerTokens tokens = blank("http.auth.tokens.file") ? null
                : BearerTokens.load(Path.of(get("http.auth.tokens.file")));
        SSLContext server = null;
        SSLContext peer = null;
        if (sslEnabled()) {
            SSLContext[] tls = HttpSettings.tlsContexts(Path.of(get("http.ssl.keystore.location")),
                    get("http.ssl.keystore.password").toCharArray(), get("http.ssl.keystore.type"),
                    blank("http.ssl.truststore.location") ? null : Path.of(get("http.ssl.truststore.location")),
                    get("http.ssl.truststore.password").toCharArray(), get("http.ssl.truststore.type"));
            server = tls[0];
            peer = tls[1];
        }
        return new HttpSettings(httpBindAddress(), httpPort(), tokens, openPaths(), server, peer);
    }

    private Set<String> openPaths() {
        Set<String> paths = new TreeSet<>();
        for (String p : get("http.auth.open.paths").split(",")) {
            if (!p.isBlank()) {
                paths.add(p.strip());
            }
        }
        if (!HttpSettings.MAY_BE_OPEN.containsAll(paths)) {
            throw new ConfigException("http.auth.open.paths may only list " + new TreeSet<>(HttpSettings.MAY_BE_OPEN)
                    + " (every other endpoint returns parties, accounts or amounts), got '"
                    + get("http.auth.open.paths") + "' from " + origin("http.auth.open.paths"));
        }
        return paths;
    }

    private boolean sslEnabled() {
        String v = get("http.ssl.enabled").strip();
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException("http.ssl.enabled must be true or false, got '" + v + "' from "
                    + origin("http.ssl.enabled"));
        }
        if (v.equals("true") && blank("http.ssl.keystore.location")) {
            throw new ConfigException("http.ssl.enabled=true needs http.ssl.keystore.location (a PKCS12 file)");
        }
        return v.equals("true");
    }

    private boolean blank(String key) {
        String v = values.get(key);
        return v == null || v.isBlank();
    }

    private boolean bool(String key) {
        String v = get(key).strip();
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + " must be true or false, got '" + v + "' from " + origin(key));
        }
        return v.equals("true");
    }

    public int topicPartitions() {
        return intValue("topics.partitions");
    }

    private int intValue(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be an integer, got '" + get(key) + "' from " + origin(key));
        }
    }

    private Duration duration(String key) {
        try {
            return Duration.parse(get(key));
        } catch (RuntimeException e) {
            throw new ConfigException(key + " must be an ISO-8601 duration such as PT1H or P7D, got '" + get(key)
                    + "' from " + origin(key));
        }
    }

    public Duration alertRetention() {
        return positive("topics.alerts.retention");
    }

    public Duration deadLetterRetention() {
        return positive("topics.dlq.retention");
    }

    private Duration positive(String key) {
        Duration d = duration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + " must be positive, got '" + get(key) + "' from " + origin(key));
        }
        return d;
    }

    public TopicNames topicNames() {
        return new TopicNames(get("topics.custody.transactions"), get("topics.clearing.payments"),
                get("topics.registry.platforms"), get("topics.registry.accounts"), get("topics.registry.products"),
                get("topics.reference.rates"), get("topics.rules"), get("topics.alerts"), get("topics.dlq"),
                get("topics.validated.prefix"));
    }

    public TopologySettings topologySettings() {
        return new TopologySettings(topicPartitions(), duration("dedup.span"), duration("max.future.skew"),
                ZoneId.of(get("time.zone")), bool("lookthrough.enabled"), StateStoreKind.PERSISTENT);
    }

    /** Kafka Streams and client settings: everything that is not fundwatch's own or the registry's. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        Set<String> own = defaults().stringPropertyNames();
        values.forEach((k, v) -> {
            boolean fundwatchOwn = own.contains(k) && !StreamsConfig.configDef().names().contains(k)
                    && !k.equals("bootstrap.servers");
            if (!fundwatchOwn && !REGISTRY_KEYS.contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }

    /**
     * Settings for a plain producer of the input topics ({@code simulate}, a bank's stand-in): the Kafka client
     * settings of {@link #streamsProperties()} that a producer knows — bootstrap servers, security.protocol, sasl.*,
     * ssl.* … — then the {@code producer.}-prefixed ones, which win, as they do for Kafka Streams' own producer.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> m = new TreeMap<>();
        Set<String> producerKeys = ProducerConfig.configNames();
        streamsProperties().forEach((k, v) -> {
            String key = k.toString();
            if (producerKeys.contains(key)) {
                m.put(key, v);
            }
        });
        streamsProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
                m.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        return m;
    }

    /** Settings for the schema registry client (Confluent-style keys). */
    public Map<String, Object> registryConfig() {
        Map<String, Object> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (REGISTRY_KEYS.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Every effective setting with where it came from; secrets masked. */
    public Map<String, String> describe() {
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, (isSecret(k) && !v.isEmpty() ? "******" : v) + "   (" + origins.get(k) + ")"));
        return m;
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("user.info") || k.contains("sasl.jaas") || k.contains("secret")
                || k.contains("credentials") || k.endsWith(".key");
    }

    /** A configuration error: reported to the operator as is, without a stack trace. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
