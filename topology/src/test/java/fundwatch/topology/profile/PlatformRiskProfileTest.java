package fundwatch.topology.profile;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformRiskProfileTest {
    private TopologyFixture fx;
    private KeyValueStore<String, RiskProfile> profiles;
    private KeyValueStore<String, FundFlowAlert> alerts;

    @BeforeEach
    void givenAPlatformWithGeneralAndCustodyAccounts() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-5"), account("GEN-5", "P-5", AccountPurpose.PLATFORM_GENERAL),
                account("CUS-5", "P-5", AccountPurpose.CUSTODY_MASTER));
        profiles = fx.driver.getKeyValueStore(PlatformViewProcessor.PROFILE_STORE);
        alerts = fx.driver.getKeyValueStore(PlatformViewProcessor.ALERTS_STORE);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void shouldHaveNoProfileForAPlatformWithoutFindings() {
        assertNull(profiles.get("P-5"));
    }

    @Test
    void shouldCombineTheOpenFindingsOfAllDetectorsIntoOneScore() {
        // A bypass finding (grows to two revisions) and an unreconciled top-up on the same platform.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 200_000, T0));
        fx.pay(payment("PAY-2", "CARD-B", PartyType.INDIVIDUAL, "GEN-5", 200_000, T0.plusSeconds(60)));
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

        RiskProfile p = profiles.get("P-5");
        assertEquals(2, p.openFindings());
        assertEquals(Map.of("CUSTODY_BYPASS", 1, "UNRECONCILED_FLOW", 1), p.openByDetector());
        assertEquals(1 - (1 - bypass.getScore()) * (1 - unreconciled.getScore()), p.score(), 1e-9);
        assertEquals("HIGH", p.highestSeverity());
        assertEquals("110000", p.regionCode());
        // The alert store holds each alert's latest revision only.
        assertEquals(2, alerts.get(PlatformViewProcessor.alertKey("P-5", bypass.getAlertId())).getRevision());
    }

    @Test
    void shouldCloseFindingsThirtyDaysAfterTheirWindow() {
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 50_000, T0));
        // Time moves on (the wall clock too, or these would be rejected as from the future): a fresh bypass
        // 32 days later on the same platform.
        fx.driver.advanceWallClockTime(Duration.ofDays(32));
        fx.pay(payment("PAY-9", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 50_000, T0.plus(Duration.ofDays(32))));
        fx.pay(payment("PAY-10", "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 60_000,
                T0.plus(Duration.ofDays(32)).plus(Duration.ofHours(2))));

        RiskProfile p = profiles.get("P-5");
        assertEquals(1, p.openFindings(), "the first day's finding has closed");
        assertEquals(T0.plus(Duration.ofDays(32)).plus(Duration.ofHours(2)).toEpochMilli(), p.lastEventTime());
    }

    @Test
    void shouldCountAnEpisodeOnceHoweverManyDaysItRuns() {
        // A bypass on fifteen consecutive days: one episode with fifteen revisions, so one open finding — not
        // fifteen findings piling up in the noisy-OR.
        fx.driver.advanceWallClockTime(Duration.ofDays(20));
        for (int d = 0; d < 15; d++) {
            fx.pay(payment("PAY-" + d, "CARD-A", PartyType.INDIVIDUAL, "GEN-5", 50_000, T0.plus(Duration.ofDays(d))));
        }
        FundFlowAlert last = fx.alerts().stream().reduce((a, b) -> b).orElseThrow();
        assertEquals(15, last.getRevision());

        RiskProfile p = profiles.get("P-5");
        assertEquals(1, p.openFindings());
        assertEquals(Map.of("CUSTODY_BYPASS", 1), p.openByDetector());
        assertEquals(last.getScore(), p.score(), 1e-9);
        // The finding stays open from the episode's latest window end, not its first day's.
        assertEquals(last.getWindowEnd().toEpochMilli(), p.findings().get(0).windowEnd());
    }
}
