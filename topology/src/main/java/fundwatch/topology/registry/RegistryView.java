package fundwatch.topology.registry;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
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

    private final KeyValueStore<String, ValueAndTimestamp<Platform>> platforms;
    private final KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts;

    private RegistryView(KeyValueStore<String, ValueAndTimestamp<Platform>> platforms,
            KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts) {
        this.platforms = platforms;
        this.accounts = accounts;
    }

    public static RegistryView from(ProcessingContext context) {
        return new RegistryView(context.getStateStore(PLATFORMS_STORE), context.getStateStore(ACCOUNTS_STORE));
    }

    public Platform platform(String platformId) {
        if (platformId == null) {
            return null;
        }
        ValueAndTimestamp<Platform> v = platforms.get(platformId);
        return v == null ? null : v.value();
    }

    public AccountRegistration account(String accountId) {
        if (accountId == null) {
            return null;
        }
        ValueAndTimestamp<AccountRegistration> v = accounts.get(accountId);
        return v == null ? null : v.value();
    }

    public String regionOf(String platformId) {
        Platform p = platform(platformId);
        return p == null ? null : p.getRegionCode();
    }
}
