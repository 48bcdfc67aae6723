package fundwatch.topology.registry;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Read access to the registry (platforms, accounts) held in global stores. The registry is small and changes
 * slowly, and every detector needs arbitrary lookups (payer and payee of one payment), so every instance keeps
 * all of it rather than repartitioning each payment twice to join it.
 */
public final class RegistryView {
    public static final String PLATFORMS_STORE = "registry-platforms-store";
    public static final String ACCOUNTS_STORE = "registry-accounts-store";
    public static final String PRODUCTS_STORE = "registry-products-store";
    public static final String RATES_STORE = "registry-rates-store";

    /** Past this many entries a view's memory is dropped whole: most clearing accounts are in no registration. */
    static final int MAX_CACHED = 100_000;
    private static final Object ABSENT = new Object();

    private final KeyValueStore<String, ValueAndTimestamp<Platform>> platforms;
    private final KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts;
    private final Cache platformCache;
    private final Cache accountCache;

    private RegistryView(KeyValueStore<String, ValueAndTimestamp<Platform>> platforms,
            KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts, RegistryVersions versions) {
        this.platforms = platforms;
        this.accounts = accounts;
        this.platformCache = new Cache(versions, PLATFORMS_STORE);
        this.accountCache = new Cache(versions, ACCOUNTS_STORE);
    }

    public static RegistryView from(ProcessingContext context) {
        return new RegistryView(context.getStateStore(PLATFORMS_STORE), context.getStateStore(ACCOUNTS_STORE),
                RegistryVersions.from(context.appConfigs()));
    }

    public Platform platform(String platformId) {
        if (platformId == null) {
            return null;
        }
        return platformCache.get(platformId, id -> {
            ValueAndTimestamp<Platform> v = platforms.get(id);
            return v == null ? null : v.value();
        });
    }

    public AccountRegistration account(String accountId) {
        if (accountId == null) {
            return null;
        }
        return accountCache.get(accountId, id -> {
            ValueAndTimestamp<AccountRegistration> v = accounts.get(id);
            return v == null ? null : v.value();
        });
    }

    public String regionOf(String platformId) {
        Platform p = platform(platformId);
        return p == null ? null : p.getRegionCode();
    }

    /**
     * Decoded entries of one global store (absent ones too), valid while its version does not move; one per view,
     * and a view belongs to one processor of one task, so no locking. Without versions, no memory: every call reads.
     */
    static final class Cache {
        private final RegistryVersions versions;
        private final String store;
        private final Map<String, Object> entries = new HashMap<>();
        private long version = -1;

        Cache(RegistryVersions versions, String store) {
            this.versions = versions;
            this.store = store;
        }

        @SuppressWarnings("unchecked")
        <T> T get(String key, Function<String, T> load) {
            if (versions == null) {
                return load.apply(key);
            }
            long current = versions.current(store);
            if (current != version || entries.size() >= MAX_CACHED) {
                entries.clear();
                version = current;
            }
            Object v = entries.get(key);
            if (v == null) {
                T loaded = load.apply(key);
                entries.put(key, loaded == null ? ABSENT : loaded);
                return loaded;
            }
            return v == ABSENT ? null : (T) v;
        }
    }
}
