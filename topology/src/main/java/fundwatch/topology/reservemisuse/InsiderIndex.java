package fundwatch.topology.reservemisuse;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.topology.registry.RegistryVersions;
import fundwatch.topology.registry.RegistryView;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Who holds a platform's registered non-reserve accounts: party → platform → purpose. D3c needs the reverse of the
 * account registry ("an account held by a party that holds one of its registered accounts"), which the global store,
 * keyed by account, cannot answer by key. The registry is small and changes rarely, so the index is rebuilt from the
 * global store when its change counter moves, and only when a reserve pays an account the registry ties to no
 * platform — never per event of the market at large.
 */
final class InsiderIndex {
    private final KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts;
    private final RegistryVersions versions;
    private Map<String, Map<String, AccountPurpose>> byParty = Map.of();
    private long version = -1;

    private InsiderIndex(KeyValueStore<String, ValueAndTimestamp<AccountRegistration>> accounts,
            RegistryVersions versions) {
        this.accounts = accounts;
        this.versions = versions;
    }

    static InsiderIndex from(ProcessingContext context) {
        return new InsiderIndex(context.getStateStore(RegistryView.ACCOUNTS_STORE),
                RegistryVersions.from(context.appConfigs()));
    }

    /** The purpose of a registered non-reserve account of {@code platformId} that {@code partyId} holds, or null. */
    AccountPurpose heldFor(String partyId, String platformId) {
        if (partyId == null) {
            return null;
        }
        refresh();
        Map<String, AccountPurpose> held = byParty.get(partyId);
        return held == null ? null : held.get(platformId);
    }

    private void refresh() {
        // Without change counters (a bare test config) every call rebuilds: correct, only slower.
        long current = versions == null ? version - 1 : versions.current(RegistryView.ACCOUNTS_STORE);
        if (current == version) {
            return;
        }
        Map<String, Map<String, AccountPurpose>> next = new HashMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<AccountRegistration>> it = accounts.all()) {
            while (it.hasNext()) {
                ValueAndTimestamp<AccountRegistration> v = it.next().value;
                AccountRegistration a = v == null ? null : v.value();
                if (a == null || a.getHolderPartyId() == null || a.getPlatformId() == null
                        || a.getPurpose() == AccountPurpose.PAYMENT_RESERVE) {
                    continue;
                }
                // A related-party holding is the stronger fact: it names an insider, not the institution itself.
                next.computeIfAbsent(a.getHolderPartyId(), k -> new HashMap<>())
                        .merge(a.getPlatformId(), a.getPurpose(),
                                (x, y) -> x == AccountPurpose.RELATED_PARTY ? x : y);
            }
        }
        byParty = next;
        version = current;
    }
}
