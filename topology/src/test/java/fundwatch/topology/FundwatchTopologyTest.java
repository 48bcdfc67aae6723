package fundwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.support.FundwatchMetrics;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Pins the names of stores and repartition topics: renaming one orphans its changelog or repartition topic in
 * every running deployment, so a rename must be a conscious change to this test.
 */
class FundwatchTopologyTest {
    private final TopologyDescription description = FundwatchTopology.build(
            TopicCatalog.create(TopicNames.defaults(), new InMemorySchemaRegistryClient()),
            TopologySettings.defaults(), FundwatchMetrics.detached()).describe();

    @Test
    void shouldKeepTheNamesOfStateStores() {
        Set<String> stores = new TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Processor p) {
                stores.addAll(p.stores());
            }
        }));
        description.globalStores().forEach(g -> stores.addAll(g.processor().stores()));
        assertEquals(new TreeSet<>(Set.of(
                "custody-dedup-store", "clearing-dedup-store",
                "custody-bypass-windows-store", "custody-bypass-alert-lifecycle-store",
                "unreconciled-pending-buckets-store", "unreconciled-expiry-store", "unreconciled-windows-store",
                "unreconciled-flow-alert-lifecycle-store",
                "registry-platforms-store", "registry-accounts-store", "registry-products-store",
                "registry-rates-store", "registry-rules-store",
                "platform-risk-profile-store", "platform-alerts-store", "platform-alerts-index-store",
                "abnormal-yield-funded-store", "abnormal-yield-alert-lifecycle-store",
                "realised-yield-pending-store", "realised-yield-positions-store", "realised-yield-products-store",
                "realised-yield-alert-lifecycle-store", "payouts-ledger-store", "payouts-ledger-progress-store", "payouts-alert-lifecycle-store",
                "pooling-hub-accounts-store", "pooling-hub-counterparties-store", "pooling-hub-evidence-store",
                "pooling-hub-index-store", "pooling-hub-alert-lifecycle-store",
                "pooling-unmatched-store", "pooling-unmatched-ledger-progress-store", "pooling-unmatched-alert-lifecycle-store",
                "pooling-oversubscription-store", "pooling-oversubscription-alert-lifecycle-store",
                "maturity-terms-store", "maturity-invested-store", "maturity-mismatch-alert-lifecycle-store",
                "maturity-split-store", "maturity-splitting-alert-lifecycle-store",
                "growth-days-store", "growth-platforms-store", "growth-lenders-store", "growth-ledger-progress-store",
                "growth-alert-lifecycle-store", "borrowing-cap-store", "borrowing-cap-party-types-store",
                "borrowing-cap-alert-lifecycle-store",
                "reserve-misuse-days-store", "reserve-misuse-alert-lifecycle-store",
                "clearing-bypass-days-store", "clearing-bypass-alert-lifecycle-store",
                "unlicensed-payment-days-store", "unlicensed-payment-alert-lifecycle-store",

                "lookthrough-holdings-store", "lookthrough-outgoing-store", "lookthrough-received-store",
                "lookthrough-inflow-store", "lookthrough-convergence-store", "lookthrough-convergence-index-store",
                "lookthrough-pending-origins-store", "lookthrough-pending-index-store", "lookthrough-platforms-store", "lookthrough-ledger-progress-store",
                "lookthrough-self-paths-store", "lookthrough-self-financing-alerts-store",
                "lookthrough-final-use-alerts-store", "lookthrough-self-financing-alert-lifecycle-store",
                "lookthrough-final-use-alert-lifecycle-store")), stores);
    }

    @Test
    void shouldKeepTheNamesOfRepartitionTopics() {
        Set<String> repartitions = new TreeSet<>();
        Matcher m = Pattern.compile("([a-z-]+)-repartition").matcher(description.toString());
        while (m.find()) {
            repartitions.add(m.group(1));
        }
        // Each input event crosses at most one of these on its way to any detector (README, Performance).
        assertEquals(new TreeSet<>(Set.of("custody-by-platform", "clearing-platform-legs", "products-by-platform",
                "pooling-hub-payee-legs", "borrowing-cap-loans-by-party", "borrowing-cap-types-by-party",
                "platform-view-alerts", "payment-institution-payments",
                "lookthrough-self-arrivals-by-platform")), repartitions);
    }
}
