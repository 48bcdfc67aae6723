package fundwatch.topology.profile;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The index behind GET /alerts: one entry per alert's latest revision, per detector and overall, newest first. */
class PlatformAlertIndexTest {
    private TopologyFixture fx;
    private KeyValueStore<String, String> index;

    @BeforeEach
    void givenAPlatformWithGeneralAndCustodyAccounts() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-5"), account("GEN-5", "P-5", AccountPurpose.PLATFORM_GENERAL),
                account("CUS-5", "P-5", AccountPurpose.CUSTODY_MASTER));
        index = fx.driver.getKeyValueStore(PlatformViewProcessor.ALERTS_INDEX_STORE);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<KeyValue<String, String>> scan(String detector) {
        List<KeyValue<String, String>> out = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.prefixScan(PlatformViewProcessor.indexPrefix(detector),
                new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void shouldIndexTheLatestRevisionOfEachAlertByDetectorAndNewestFirst() {
        // A bypass finding that grows to a second revision, then an unreconciled top-up found hours later.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 200_000, T0));
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "GEN-5", 200_000, T0.plusSeconds(60)));
        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        fx.pay(payment("PAY-3", "CARD-C", PartyType.INDIVIDUAL, "CUS-5", 10_000, T0.plusSeconds(120)));
        fx.post(custody("TICK", "P-5", TxType.PLATFORM_FEE, 1, T0.plus(Duration.ofHours(4))));
        // D3b judges PAY-3 once both inputs are past it: the clearing feed too (a sweep within the platform)
        fx.pay(payment("SWEEP", "CUS-5", PartyType.CORPORATE, "GEN-5", 1, T0.plus(Duration.ofHours(4))));
        List<FundFlowAlert> emitted = fx.alerts();
        FundFlowAlert bypass = emitted.stream().filter(a -> a.getDetector().equals("CUSTODY_BYPASS"))
                .reduce((a, b) -> b).orElseThrow();
        FundFlowAlert unreconciled = emitted.stream().filter(a -> a.getDetector().equals("UNRECONCILED_FLOW"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(2, bypass.getRevision());

        // Then the detector's prefix holds one entry, the second revision's, pointing at the alert store key.
        List<KeyValue<String, String>> bypasses = scan("CUSTODY_BYPASS");
        assertEquals(1, bypasses.size(), "the first revision's entry was replaced");
        assertEquals(PlatformViewProcessor.indexKeys(bypass).get(0), bypasses.get(0).key);
        assertEquals(PlatformViewProcessor.alertKey("P-5", bypass.getAlertId()), bypasses.get(0).value);

        // And the overall prefix lists both, newest emission first.
        List<KeyValue<String, String>> all = scan(null);
        assertEquals(2, all.size());
        assertTrue(!unreconciled.getDetectedAt().isBefore(bypass.getDetectedAt()));
        assertEquals(PlatformViewProcessor.alertKey("P-5", unreconciled.getAlertId()), all.get(0).value);
        assertEquals(PlatformViewProcessor.alertKey("P-5", bypass.getAlertId()), all.get(1).value);
    }

    @Test
    void shouldDropIndexEntriesWithTheAlertsTheyPointAt() {
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 50_000, T0));
        assertEquals(1, scan("CUSTODY_BYPASS").size());
        // 32 days later (wall clock too) a fresh bypass: the first day's alert is past the open horizon.
        fx.driver.advanceWallClockTime(Duration.ofDays(32));
        fx.pay(payment("PAY-9", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 50_000, T0.plus(Duration.ofDays(32))));
        fx.pay(payment("PAY-10", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 60_000,
                T0.plus(Duration.ofDays(32)).plus(Duration.ofHours(2))));
        assertEquals(1, scan("CUSTODY_BYPASS").size(), "the expired alert's entry went with it");
        assertEquals(1, scan(null).size());
    }
}
