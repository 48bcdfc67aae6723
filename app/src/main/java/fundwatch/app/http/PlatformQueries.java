package fundwatch.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.schemas.json.AvroJson;
import fundwatch.topology.profile.PlatformViewProcessor;
import fundwatch.topology.profile.RiskProfile;
import fundwatch.topology.registry.RegistryView;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Interactive queries behind the HTTP surface. A platform's state lives on the instance that owns its
 * partition: the query is answered locally when that is this instance, and otherwise forwarded to the owner's
 * advertised endpoint ({@code application.server}). {@code GET /alerts} without a platform fans out to every
 * instance and merges.
 */
public final class PlatformQueries {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param self this instance's advertised endpoint; null when it runs alone (no application.server) */
    public PlatformQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Thrown when the state is not queryable right now (starting, rebalancing): HTTP 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The platform's profile as JSON, or empty when the platform is neither registered nor has findings. */
    public Optional<String> platform(String platformId, boolean localOnly) throws IOException, InterruptedException {
        HostInfo owner = localOnly ? null : owner(PlatformViewProcessor.PROFILE_STORE, platformId);
        if (owner != null) {
            return forward(owner, "/platforms/" + encode(platformId));
        }
        RiskProfile profile = localStore(PlatformViewProcessor.PROFILE_STORE, RiskProfile.class).get(platformId);
        Platform registered = registeredPlatform(platformId);
        if (profile == null && registered == null) {
            return Optional.empty();
        }
        if (profile == null) {
            profile = RiskProfile.empty(platformId, registered.getRegionCode());
        }
        ObjectNode body = JSON.valueToTree(profile);
        body.set("registry", registered == null ? JsonNodeFactory.instance.nullNode() : AvroJson.toJson(registered));
        body.put("servedBy", self == null ? "local" : self.host() + ":" + self.port());
        return Optional.of(JSON.writeValueAsString(body));
    }

    /** Latest revisions of recent alerts, newest first, optionally for one platform and one detector. */
    public String alerts(String platformId, String detector, int limit, boolean localOnly)
            throws IOException, InterruptedException {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        List<FundFlowAlert> found = new ArrayList<>();
        if (platformId != null) {
            HostInfo owner = localOnly ? null : owner(PlatformViewProcessor.ALERTS_STORE, platformId);
            if (owner != null) {
                return forward(owner, alertsPath(platformId, detector, n, false)).orElse("[]");
            }
            try (KeyValueIterator<String, FundFlowAlert> it = localStore(PlatformViewProcessor.ALERTS_STORE,
                    FundFlowAlert.class).prefixScan(platformId + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> found.add(kv.value));
            }
        } else {
            try (KeyValueIterator<String, FundFlowAlert> it = localStore(PlatformViewProcessor.ALERTS_STORE,
                    FundFlowAlert.class).all()) {
                it.forEachRemaining(kv -> found.add(kv.value));
            }
        }
        ArrayNode out = JSON.createArrayNode();
        found.stream()
                .filter(a -> detector == null || detector.equals(a.getDetector()))
                .sorted(NEWEST_FIRST)
                .limit(n)
                .forEach(a -> out.add(AvroJson.toJson(a)));
        if (platformId == null && !localOnly && self != null) {
            return mergeFromOthers(out, detector, n);
        }
        return JSON.writeValueAsString(out);
    }

    /**
     * The other instance that owns the key, or null when this one does. A lone instance (no application.server)
     * owns everything: Kafka Streams keeps no host metadata then, so there is nothing to ask.
     */
    private HostInfo owner(String store, String key) {
        if (self == null) {
            return null;
        }
        KeyQueryMetadata meta = streams.queryMetadataForKey(store, key, new StringSerializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new Unavailable("state of " + key + " is not available yet (" + streams.state() + ")");
        }
        return self.equals(meta.activeHost()) ? null : meta.activeHost();
    }

    private static final Comparator<FundFlowAlert> NEWEST_FIRST = Comparator
            .comparing(FundFlowAlert::getDetectedAt).reversed()
            .thenComparing(FundFlowAlert::getAlertId);

    private String mergeFromOthers(ArrayNode local, String detector, int n) throws IOException, InterruptedException {
        List<ObjectNode> all = new ArrayList<>();
        local.forEach(node -> all.add((ObjectNode) node));
        for (StreamsMetadata other : streams.metadataForAllStreamsClients()) {
            if (other.hostInfo().equals(self)) {
                continue;
            }
            Optional<String> remote = forward(other.hostInfo(), alertsPath(null, detector, n, true));
            if (remote.isPresent()) {
                JSON.readTree(remote.get()).forEach(node -> all.add((ObjectNode) node));
            }
        }
        all.sort(Comparator.comparingLong((ObjectNode a) -> a.get("detectedAt").asLong()).reversed()
                .thenComparing(a -> a.get("alertId").asText()));
        ArrayNode out = JSON.createArrayNode();
        all.stream().limit(n).forEach(out::add);
        return JSON.writeValueAsString(out);
    }

    private static String alertsPath(String platformId, String detector, int limit, boolean local) {
        StringBuilder p = new StringBuilder("/alerts?limit=").append(limit);
        if (platformId != null) {
            p.append("&platformId=").append(encode(platformId));
        }
        if (detector != null) {
            p.append("&detector=").append(encode(detector));
        }
        if (local) {
            p.append("&scope=local");
        }
        return p.toString();
    }

    private Optional<String> forward(HostInfo host, String pathAndQuery) throws IOException, InterruptedException {
        String sep = pathAndQuery.contains("?") ? "&" : "?";
        String target = "http://" + host.host() + ":" + host.port() + pathAndQuery
                + (pathAndQuery.contains("scope=local") ? "" : sep + "scope=local");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("instance " + host + " answered " + response.statusCode());
        }
        return Optional.of(response.body());
    }

    private <V> ReadOnlyKeyValueStore<String, V> localStore(String name, Class<V> type) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Unavailable("store " + name + " is not queryable now: " + e.getMessage());
        }
    }

    private Platform registeredPlatform(String platformId) {
        try {
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<Platform>> platforms = streams.store(
                    StoreQueryParameters.fromNameAndType(RegistryView.PLATFORMS_STORE,
                            QueryableStoreTypes.<String, Platform>timestampedKeyValueStore()));
            ValueAndTimestamp<Platform> v = platforms.get(platformId);
            return v == null ? null : v.value();
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
