package fundwatch.topology.lookthrough;

import fundwatch.avro.AccountRegistration;
import fundwatch.topology.registry.RegistryVersions;
import fundwatch.topology.registry.RegistryView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Which platforms a party holds registered accounts of (D8a: "accounts held by a party that holds any of that
 * platform's registered accounts"). Built from the account registry's global store and rebuilt only when that store
 * changed; the registry holds the platform-level accounts only (a few per platform), so a rebuild is small.
 */
final class SelfParties {
    private final KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts;
    private final RegistryVersions versions;
    private Map<String, Set<String>> byParty = Map.of();
    private long version = -1;

    SelfParties(ProcessingContext context) {
        this.accounts = context.getStateStore(RegistryView.ACCOUNTS_STORE);
        this.versions = RegistryVersions.from(context.appConfigs());
    }

    boolean holdsAccountOf(String partyId, String platformId) {
        if (partyId == null || platformId == null) {
            return false;
        }
        // Without version counters (some tests) every call rebuilds: correct, only slower.
        long current = versions == null ? -2 : versions.current(RegistryView.ACCOUNTS_STORE);
        if (current != version || versions == null) {
            Map<String, Set<String>> m = new HashMap<>();
            try (KeyValueIterator<String, ValueAndTimestamp<AccountRegistration>> it = accounts.all()) {
                while (it.hasNext()) {
                    ValueAndTimestamp<AccountRegistration> v = it.next().value;
                    AccountRegistration a = v == null ? null : v.value();
                    if (a != null && a.getHolderPartyId() != null && a.getPlatformId() != null) {
                        m.computeIfAbsent(a.getHolderPartyId(), k -> new HashSet<>()).add(a.getPlatformId());
                    }
                }
            }
            byParty = m;
            version = current;
        }
        return byParty.getOrDefault(partyId, Set.of()).contains(platformId);
    }
}
