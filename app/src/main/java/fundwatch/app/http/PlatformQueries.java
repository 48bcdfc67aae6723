package fundwatch.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.schemas.json.AvroJson;
import fundwatch.topology.growth.GrowthDay;
import fundwatch.topology.growth.GrowthKeys;
import fundwatch.topology.growth.GrowthSeries;
import fundwatch.topology.growth.GrowthTopology;
import fundwatch.topology.growth.PlatformGrowth;
import fundwatch.topology.lookthrough.Holding;
import fundwatch.topology.lookthrough.LookThroughTopology;
import fundwatch.topology.lookthrough.TracedCredit;
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
    /** Index entries read per partition at most for one /alerts query narrowed by region or severity. */
    static final int MAX_SCANNED = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http;
    private final String scheme;

    /** @param self this instance's advertised endpoint; null when it runs alone (no application.server) */
    public PlatformQueries(KafkaStreams streams, HostInfo self) {
        this(streams, self, HttpSettings.plain("127.0.0.1", 0));
    }

    /** @param settings this instance's HTTP settings: the peers are reached the same way (https when TLS is on) */
    public PlatformQueries(KafkaStreams streams, HostInfo self, HttpSettings settings) {
        this.streams = streams;
        this.self = self;
        this.http = settings.peerClient();
        this.scheme = settings.tls() ? "https" : "http";
    }

    /** Thrown when the state is not queryable right now (starting, rebalancing): HTTP 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The platform's profile as JSON, or empty when the platform is neither registered nor has findings. */
    public Optional<String> platform(String platformId, Scope scope, String authorization)
            throws IOException, InterruptedException {
        if (scope == Scope.ROUTE) {
            Routed routed = route(PlatformViewProcessor.PROFILE_STORE, platformId, "/platforms/" + encode(platformId),
                    authorization);
            if (routed.answer() != null) {
                return routed.answer();
            }
            scope = routed.localScope();
        }
        RiskProfile profile = readLocal(PlatformViewProcessor.PROFILE_STORE, RiskProfile.class, scope,
                store -> store.get(platformId));
        Platform registered = registeredPlatform(platformId);
        if (profile == null && registered == null) {
            return Optional.empty();
        }
        if (profile == null) {
            profile = RiskProfile.empty(platformId, registered.getRegionCode());
        }
        ObjectNode body = JSON.valueToTree(profile);
        body.set("registry", registered == null ? JsonNodeFactory.instance.nullNode() : AvroJson.toJson(registered));
        body.set("accounts", registeredAccounts(platformId));
        body.put("servedBy", self == null ? "local" : self.host() + ":" + self.port());
        return Optional.of(JSON.writeValueAsString(body));
    }

    /**
     * The platform's D6 daily series for the last {@code days} days up to its newest day, as a JSON array of {day,
     * inflowMinor, newLenders, outstandingMinor}; empty when fundwatch has seen no movement of the platform. Routed to
     * the owner of the platform's partition, like the profile (the growth stores are keyed by platform).
     */
    public Optional<String> series(String platformId, int days, Scope scope, String authorization)
            throws IOException, InterruptedException {
        int n = Math.max(1, Math.min(GrowthSeriesQuery.MAX_DAYS, days));
        if (scope == Scope.ROUTE) {
            Routed routed = route(GrowthTopology.PLATFORMS_STORE, platformId,
                    "/platforms/" + encode(platformId) + "/series?days=" + n, authorization);
            if (routed.answer() != null) {
                return routed.answer();
            }
            scope = routed.localScope();
        }
        PlatformGrowth platform = readLocal(GrowthTopology.PLATFORMS_STORE, PlatformGrowth.class, scope,
                store -> store.get(platformId));
        if (platform == null) {
            return Optional.empty();
        }
        java.util.TreeMap<Long, GrowthDay> kept = readLocal(GrowthTopology.DAYS_STORE, GrowthDay.class, scope, store -> {
            java.util.TreeMap<Long, GrowthDay> m = new java.util.TreeMap<>();
            try (KeyValueIterator<String, GrowthDay> it = store.prefixScan(GrowthKeys.dayPrefix(platformId),
                    new StringSerializer())) {
                it.forEachRemaining(kv -> m.put(GrowthKeys.dayOf(kv.key), kv.value));
            }
            return m;
        });
        ArrayNode out = JSON.createArrayNode();
        if (!kept.isEmpty()) {
            long to = kept.lastKey();
            long from = Math.max(kept.firstKey(), to - n + 1);
            for (GrowthSeries.Point p : GrowthSeries.points(platform, kept, from, to)) {
                out.addObject().put("day", p.day()).put("inflowMinor", p.inflowMinor())
                        .put("newLenders", p.newLenders()).put("outstandingMinor", p.outstandingMinor());
            }
        }
        return Optional.of(JSON.writeValueAsString(out));
    }

    /**
     * {@code GET /trace/accounts/{id}} (D8): routed to the owner of the account's partition — the tracing state is
     * kept in the task that reads the account's payments, keyed like clearing.payments.
     */
    public Optional<String> accountTrace(String accountId, Scope scope, String authorization)
            throws IOException, InterruptedException {
        if (scope == Scope.ROUTE) {
            Routed routed = route(LookThroughTopology.RECEIVED_STORE, accountId,
                    "/trace/accounts/" + encode(accountId), authorization);
            if (routed.answer() != null) {
                return routed.answer();
            }
            scope = routed.localScope();
        }
        ReadOnlyKeyValueStore<String, TracedCredit> received = localStore(LookThroughTopology.RECEIVED_STORE,
                TracedCredit.class, scope);
        ReadOnlyKeyValueStore<String, Holding> holdings = localStore(LookThroughTopology.HOLDINGS_STORE,
                Holding.class, scope);
        try {
            return Optional.of(JSON.writeValueAsString(TraceJson.account(accountId, received, holdings,
                    TraceJson.DEFAULT_HORIZON_MILLIS)));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Unavailable("tracing stores are not queryable now: " + e.getMessage());
        }
    }

    /**
     * {@code GET /alerts/{id}/trace} (D8): the alert and its paths are kept together, in the task that found it (its
     * platform's for D8a, its final account's for D8b), whose owner nothing in the id names — so every instance is
     * asked for its own copy until one has it. Empty when no instance knows the alert (or it is no D8 alert).
     */
    public Optional<String> alertTrace(String alertId, Scope scope, String authorization)
            throws IOException, InterruptedException {
        Optional<String> local = localAlertTrace(alertId, scope == Scope.STANDBY ? Scope.STANDBY : Scope.LOCAL);
        if (local.isPresent() || scope != Scope.ROUTE || self == null) {
            return local;
        }
        for (StreamsMetadata other : streams.metadataForAllStreamsClients()) {
            if (other.hostInfo().equals(self)) {
                continue;
            }
            Optional<String> remote = forward(other.hostInfo(), "/alerts/" + encode(alertId) + "/trace?scope=local",
                    authorization);
            if (remote.isPresent()) {
                return remote;
            }
        }
        return Optional.empty();
    }

    private Optional<String> localAlertTrace(String alertId, Scope scope) throws IOException {
        try {
            ReadOnlyKeyValueStore<String, FundFlowAlert> selfAlerts = localStore(
                    LookThroughTopology.SELF_FINANCING_ALERTS_STORE, FundFlowAlert.class, scope);
            FundFlowAlert alert = selfAlerts.get(alertId);
            if (alert == null) {
                alert = this.<FundFlowAlert>localStore(LookThroughTopology.FINAL_USE_ALERTS_STORE,
                        FundFlowAlert.class, scope).get(alertId);
            }
            if (alert == null) {
                return Optional.empty();
            }
            return Optional.of(JSON.writeValueAsString(TraceJson.alert(alert,
                    localStore(LookThroughTopology.SELF_PATHS_STORE, TracedCredit.class, scope),
                    localStore(LookThroughTopology.RECEIVED_STORE, TracedCredit.class, scope))));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Unavailable("tracing stores are not queryable now: " + e.getMessage());
        }
    }

    /** Bounds of the series query. */
    static final class GrowthSeriesQuery {
        static final int DEFAULT_DAYS = 90;
        static final int MAX_DAYS = 400;

        private GrowthSeriesQuery() {
        }
    }

    /**
     * Latest revisions of recent alerts, newest first, optionally for one platform, narrowed by the filter
     * (detector, region, severity).
     */
    String alerts(String platformId, AlertFilter filter, int limit, Scope scope, String authorization)
            throws IOException, InterruptedException {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        List<FundFlowAlert> found = new ArrayList<>();
        if (platformId != null) {
            if (scope == Scope.ROUTE) {
                Routed routed = route(PlatformViewProcessor.ALERTS_STORE, platformId,
                        alertsPath(platformId, filter, n, null), authorization);
                if (routed.answer() != null) {
                    return routed.answer().orElse("[]");
                }
                scope = routed.localScope();
            }
            found.addAll(readLocal(PlatformViewProcessor.ALERTS_STORE, FundFlowAlert.class, scope, store -> {
                List<FundFlowAlert> list = new ArrayList<>();
                try (KeyValueIterator<String, FundFlowAlert> it = store.prefixScan(platformId + "|",
                        new StringSerializer())) {
                    it.forEachRemaining(kv -> list.add(kv.value));
                }
                return list;
            }));
        } else {
            found.addAll(newestLocal(filter, n));
        }
        ArrayNode out = JSON.createArrayNode();
        found.stream()
                .filter(filter::matches)
                .sorted(NEWEST_FIRST)
                .limit(n)
                .forEach(a -> out.add(AvroJson.toJson(a)));
        if (platformId == null && scope == Scope.ROUTE && self != null) {
            return mergeFromOthers(out, filter, n, authorization);
        }
        return JSON.writeValueAsString(out);
    }

    /**
     * The newest {@code n} alerts held here, from the index ({@code detector|reverse time|alertId}): per local
     * partition the first n index entries and n point reads, never the whole alert store. Per partition, because a
     * prefix scan over all local partitions at once returns them one after the other, not merged in order. A region
     * or severity, which the index does not hold, is checked on each alert read, reading on until n match or
     * {@link #MAX_SCANNED} entries were read: a rare region's alerts older than that are not found this way (ask by
     * platform instead), but a query never walks the whole store.
     */
    private List<FundFlowAlert> newestLocal(AlertFilter filter, int n) {
        String detector = filter.detector();
        List<FundFlowAlert> out = new ArrayList<>();
        boolean stale = false;
        java.util.Set<Integer> partitions = platformViewPartitions(false);
        if (partitions.isEmpty()) {
            // Mid-rebalance: this instance's standby or restoring copies still answer.
            partitions = platformViewPartitions(true);
            stale = true;
        }
        if (partitions.isEmpty()) {
            throw new Unavailable("no alert store is hosted here yet (" + streams.state() + ")");
        }
        try {
            for (int partition : partitions) {
                ReadOnlyKeyValueStore<String, String> index = partitionStore(
                        PlatformViewProcessor.ALERTS_INDEX_STORE, partition, stale);
                ReadOnlyKeyValueStore<String, FundFlowAlert> alerts = partitionStore(
                        PlatformViewProcessor.ALERTS_STORE, partition, stale);
                try (KeyValueIterator<String, String> it = index.prefixScan(PlatformViewProcessor.indexPrefix(detector),
                        new StringSerializer())) {
                    int taken = 0;
                    for (int scanned = 0; taken < n && scanned < MAX_SCANNED && it.hasNext(); scanned++) {
                        FundFlowAlert a = alerts.get(it.next().value);
                        if (a != null && filter.matches(a)) {
                            out.add(a);
                            taken++;
                        }
                    }
                }
            }
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Unavailable("alert stores are not queryable now: " + e.getMessage());
        }
        return out;
    }

    /** Partitions of the platform view's repartition topic whose tasks run here (active, or also standby). */
    private java.util.Set<Integer> platformViewPartitions(boolean includeStandby) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (var thread : streams.metadataForLocalThreads()) {
            List<org.apache.kafka.streams.TaskMetadata> tasks = new ArrayList<>(thread.activeTasks());
            if (includeStandby) {
                tasks.addAll(thread.standbyTasks());
            }
            for (var task : tasks) {
                task.topicPartitions().stream().filter(tp -> tp.topic().endsWith(PLATFORM_VIEW_TOPIC_SUFFIX))
                        .forEach(tp -> out.add(tp.partition()));
            }
        }
        return out;
    }

    /** The repartition topic feeding the platform view (PlatformViewTopology: "platform-view-alerts"). */
    private static final String PLATFORM_VIEW_TOPIC_SUFFIX = "-platform-view-alerts-repartition";

    private <V> ReadOnlyKeyValueStore<String, V> partitionStore(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params = StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition);
        return streams.store(stale ? params.enableStaleStores() : params);
    }

    /** How far a query may go: route to the key's owner, or answer from this instance's active or standby copy. */
    public enum Scope {
        ROUTE, LOCAL, STANDBY;

        static Scope of(String param) {
            return param == null ? ROUTE : switch (param) {
                case "local" -> LOCAL;
                case "standby" -> STANDBY;
                default -> ROUTE;
            };
        }
    }

    /** Either another instance's answer, or the scope in which to answer here. */
    private record Routed(Optional<String> answer, Scope localScope) {
    }

    /**
     * Routes a key's query: here when this instance is the active owner (a lone instance, without
     * application.server, owns everything — Kafka Streams keeps no host metadata then); else the active owner;
     * and when the owner cannot be reached (it just died, and the rebalance has not yet moved its tasks), a
     * standby copy — this instance's own, or another's — so queries keep answering through a failover.
     */
    private Routed route(String store, String key, String path, String authorization)
            throws IOException, InterruptedException {
        if (self == null) {
            return new Routed(null, Scope.LOCAL);
        }
        KeyQueryMetadata meta = streams.queryMetadataForKey(store, key, new StringSerializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new Unavailable("state of " + key + " is not available yet (" + streams.state() + ")");
        }
        if (self.equals(meta.activeHost())) {
            return new Routed(null, Scope.LOCAL);
        }
        try {
            return new Routed(forward(meta.activeHost(), withScope(path, "local"), authorization), null);
        } catch (IOException | Unavailable ownerDown) {
            if (meta.standbyHosts().contains(self)) {
                return new Routed(null, Scope.STANDBY);
            }
            for (HostInfo standby : meta.standbyHosts()) {
                try {
                    return new Routed(forward(standby, withScope(path, "standby"), authorization), null);
                } catch (IOException | Unavailable standbyDown) {
                    // try the next standby
                }
            }
            throw new Unavailable("owner " + meta.activeHost() + " of " + key + " is unreachable and no standby answered");
        }
    }

    private static String withScope(String path, String scope) {
        return path + (path.contains("?") ? "&" : "?") + "scope=" + scope;
    }

    private static final Comparator<FundFlowAlert> NEWEST_FIRST = Comparator
            .comparing(FundFlowAlert::getDetectedAt).reversed()
            .thenComparing(FundFlowAlert::getAlertId);

    private String mergeFromOthers(ArrayNode local, AlertFilter filter, int n, String authorization)
            throws IOException, InterruptedException {
        List<ObjectNode> all = new ArrayList<>();
        local.forEach(node -> all.add((ObjectNode) node));
        for (StreamsMetadata other : streams.metadataForAllStreamsClients()) {
            if (other.hostInfo().equals(self)) {
                continue;
            }
            Optional<String> remote = forward(other.hostInfo(), alertsPath(null, filter, n, "local"), authorization);
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

    static String alertsPath(String platformId, AlertFilter filter, int limit, String scope) {
        StringBuilder p = new StringBuilder("/alerts?limit=").append(limit);
        if (platformId != null) {
            p.append("&platformId=").append(encode(platformId));
        }
        p.append(filter.asQuery());
        if (scope != null) {
            p.append("&scope=").append(scope);
        }
        return p.toString();
    }

    /** The caller's own Authorization header goes along: every instance reads the same tokens file. */
    private Optional<String> forward(HostInfo host, String pathAndQuery, String authorization)
            throws IOException, InterruptedException {
        String target = scheme + "://" + host.host() + ":" + host.port() + pathAndQuery;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("instance " + host + " answered " + response.statusCode());
        }
        return Optional.of(response.body());
    }

    /**
     * Reads this instance's copy. While a rebalance moves tasks the active store refuses reads; the copy this
     * instance holds (standby or restoring) is then read instead, a little behind but answering.
     */
    private <V, R> R readLocal(String name, Class<V> type, Scope scope,
            java.util.function.Function<ReadOnlyKeyValueStore<String, V>, R> read) {
        try {
            return read.apply(localStore(name, type, scope));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException | Unavailable busy) {
            if (scope == Scope.STANDBY) {
                throw new Unavailable("store " + name + " is not queryable now: " + busy.getMessage());
            }
            try {
                return read.apply(localStore(name, type, Scope.STANDBY));
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException stillBusy) {
                throw new Unavailable("store " + name + " is not queryable now: " + stillBusy.getMessage());
            }
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> localStore(String name, Class<V> type, Scope scope) {
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params = StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, V>keyValueStore());
            // A standby copy lags the active one by its replication delay: good enough to keep answering.
            return streams.store(scope == Scope.STANDBY ? params.enableStaleStores() : params);
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Unavailable("store " + name + " is not queryable now: " + e.getMessage());
        }
    }

    /**
     * The platform's registered accounts (custody, general, related-party …). The account registry holds
     * platform-level accounts only, so a scan of it per query stays small.
     */
    private ArrayNode registeredAccounts(String platformId) {
        ArrayNode out = JSON.createArrayNode();
        try {
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts = streams.store(
                    StoreQueryParameters.fromNameAndType(RegistryView.ACCOUNTS_STORE,
                            QueryableStoreTypes.<String, AccountRegistration>timestampedKeyValueStore()));
            try (KeyValueIterator<String, ValueAndTimestamp<AccountRegistration>> it = accounts.all()) {
                it.forEachRemaining(kv -> {
                    if (kv.value != null && platformId.equals(kv.value.value().getPlatformId())) {
                        out.add(AvroJson.toJson(kv.value.value()));
                    }
                });
            }
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            // The registry is still loading: no accounts to show yet.
        }
        return out;
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
