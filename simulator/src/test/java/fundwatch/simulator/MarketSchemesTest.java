package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketSchemesTest {
    private static final long TWO_HOURS = 2 * 3_600_000L;

    private static String platformOf(MarketSimulator sim, Scheme scheme) {
        return sim.truth().stream().filter(t -> t.scheme().equals(scheme.name())).findFirst().orElseThrow().subjectId();
    }

    /** Individuals' payments into the platform's PLATFORM_GENERAL account: the D3a evidence. */
    private static List<ClearingPayment> bypassPayments(List<SimEvent> registry, List<SimEvent> events, String platformId) {
        Map<String, String> general = MarketFixtures.platformOf(registry, AccountPurpose.PLATFORM_GENERAL);
        return MarketFixtures.clearing(events).stream()
                .filter(cp -> platformId.equals(general.get(cp.getPayeeAccountId())))
                .filter(cp -> cp.getPayerPartyType() == PartyType.INDIVIDUAL)
                .toList();
    }

    /** Top-ups into the platform's custody master with no DEPOSIT of the same amount within two hours: D3b. */
    private static List<ClearingPayment> unbookedTopUps(List<SimEvent> registry, List<SimEvent> events, String platformId) {
        Map<String, String> masters = MarketFixtures.platformOf(registry, AccountPurpose.CUSTODY_MASTER);
        MarketEventsTest.Matcher deposits = new MarketEventsTest.Matcher();
        MarketFixtures.custody(events).stream()
                .filter(tx -> tx.getType() == TxType.DEPOSIT && tx.getPlatformId().equals(platformId))
                .forEach(tx -> deposits.add(platformId, tx.getAmountMinor(), tx.getEventTime().toEpochMilli()));
        return MarketFixtures.clearing(events).stream()
                .filter(cp -> platformId.equals(masters.get(cp.getPayeeAccountId())))
                .filter(cp -> !deposits.take(platformId, cp.getAmountMinor(), cp.getEventTime().toEpochMilli(), TWO_HOURS))
                .toList();
    }

    /** Custody WITHDRAWALs with no clearing payment out of the custody master within two hours: D3b. */
    private static List<CustodyTransaction> unpaidWithdrawals(List<SimEvent> registry, List<SimEvent> events, String platformId) {
        Map<String, String> masters = MarketFixtures.platformOf(registry, AccountPurpose.CUSTODY_MASTER);
        MarketEventsTest.Matcher payouts = new MarketEventsTest.Matcher();
        MarketFixtures.clearing(events).stream()
                .filter(cp -> platformId.equals(masters.get(cp.getPayerAccountId())))
                .forEach(cp -> payouts.add(platformId, cp.getAmountMinor(), cp.getEventTime().toEpochMilli()));
        return MarketFixtures.custody(events).stream()
                .filter(tx -> tx.getType() == TxType.WITHDRAWAL && tx.getPlatformId().equals(platformId))
                .filter(tx -> !payouts.take(platformId, tx.getAmountMinor(), tx.getEventTime().toEpochMilli(), TWO_HOURS))
                .toList();
    }

    @Test
    void shouldRouteIndividualsMoneyIntoTheBypassPlatformsGeneralAccountOnlyAfterOnset() {
        // Given a custody bypass starting two days into a four-day market
        MarketConfig config = MarketConfig.builder().simulatedDays(4).noSchemes()
                .custodyBypassOnset(Duration.ofDays(2)).build();
        MarketSimulator sim = new MarketSimulator(config);
        String platform = platformOf(sim, Scheme.CUSTODY_BYPASS);
        long onset = config.start().plus(Duration.ofDays(2)).toEpochMilli();

        // When its individual → PLATFORM_GENERAL payments are collected
        List<ClearingPayment> payments = bypassPayments(sim.registry(), MarketFixtures.all(sim.events()), platform);

        // Then there are several an hour after onset, none before, of 10k–500k yuan
        assertTrue(payments.size() >= 2 * 24 * 3, "bypass payments: " + payments.size());
        for (ClearingPayment cp : payments) {
            assertTrue(cp.getEventTime().toEpochMilli() >= onset, cp.toString());
            assertTrue(cp.getAmountMinor() >= 10_000_00L && cp.getAmountMinor() <= 500_000_00L, cp.toString());
        }
    }

    @Test
    void shouldLeaveTopUpsUnbookedAndWithdrawalsUnpaidOnTheUnreconciledPlatformOnlyAfterOnset() {
        // Given an unreconciled flow starting one day into a three-day market
        MarketConfig config = MarketConfig.builder().simulatedDays(3).noSchemes()
                .unreconciledFlowOnset(Duration.ofDays(1)).build();
        MarketSimulator sim = new MarketSimulator(config);
        String platform = platformOf(sim, Scheme.UNRECONCILED_FLOW);
        long onset = config.start().plus(Duration.ofDays(1)).toEpochMilli();
        List<SimEvent> registry = sim.registry();
        List<SimEvent> events = MarketFixtures.all(sim.events());

        // When its top-ups and withdrawals are reconciled against each other
        List<ClearingPayment> unbooked = unbookedTopUps(registry, events, platform);
        List<CustodyTransaction> unpaid = unpaidWithdrawals(registry, events, platform);
        Map<String, String> masters = MarketFixtures.platformOf(registry, AccountPurpose.CUSTODY_MASTER);
        long topUpsAfterOnset = MarketFixtures.clearing(events).stream()
                .filter(cp -> platform.equals(masters.get(cp.getPayeeAccountId())))
                .filter(cp -> cp.getEventTime().toEpochMilli() >= onset)
                .count();

        // Then about 30 % of top-ups after onset are unbooked, some withdrawals unpaid, nothing before onset
        double share = unbooked.size() / (double) topUpsAfterOnset;
        assertTrue(share > 0.15 && share < 0.45, "unbooked share " + share);
        assertTrue(unpaid.size() >= 3, "unpaid withdrawals: " + unpaid.size());
        unbooked.forEach(cp -> assertTrue(cp.getEventTime().toEpochMilli() >= onset, cp.toString()));
        unpaid.forEach(tx -> assertTrue(tx.getEventTime().toEpochMilli() >= onset, tx.toString()));
    }

    @Test
    void shouldShowBothSchemesWithinTenSimulatedHoursOfALiveDemoStartedAtNight() {
        // Given a demo started at 01:00 Beijing time, the quietest hour, with both schemes from the start
        MarketConfig config = MarketConfig.builder().start(MarketFixtures.NIGHT_START).simulatedDays(1).build();
        MarketSimulator sim = new MarketSimulator(config);
        long tenHours = config.start().plus(Duration.ofHours(10)).toEpochMilli();

        // When the first ten simulated hours are generated
        List<SimEvent> registry = sim.registry();
        List<SimEvent> firstHours = MarketFixtures.all(sim.events()).stream()
                .filter(e -> e.eventTimeMillis() < tenHours).toList();

        // Then both schemes have left several pieces of evidence (an unbooked top-up needs two hours to show)
        assertTrue(bypassPayments(registry, firstHours, platformOf(sim, Scheme.CUSTODY_BYPASS)).size() >= 10);
        List<ClearingPayment> unbooked = unbookedTopUps(registry, firstHours, platformOf(sim, Scheme.UNRECONCILED_FLOW));
        assertTrue(unbooked.stream().filter(cp -> cp.getEventTime().toEpochMilli() < tenHours - TWO_HOURS).count() >= 3,
                "unbooked top-ups: " + unbooked.size());
    }

    @Test
    void shouldLabelEachPlantedSchemeWithItsPlatformDetectorsAndOnset() {
        // Given both schemes, with different onsets
        Instant start = Instant.parse("2025-07-01T00:00:00Z");
        MarketConfig config = MarketConfig.builder().start(start).noSchemes()
                .custodyBypassOnset(Duration.ofHours(6)).unreconciledFlowOnset(Duration.ZERO).build();
        List<TruthRecord> nearMisses = new MarketSimulator(config).truth().stream()
                .filter(TruthRecord::isNearMiss).toList();
        MarketSimulator sim = new MarketSimulator(config);

        // When the truth is read
        List<TruthRecord> truth = sim.truth().stream().filter(t -> !t.isNearMiss()).toList();

        // Then it names each scheme's own platform, its detector and its onset — and the near misses apart
        assertTrue(nearMisses.size() >= 10, nearMisses.toString());
        assertEquals(2, truth.size());
        assertEquals("PLATFORM", truth.get(0).subjectType());
        TruthRecord bypass = truth.get(0);
        TruthRecord unreconciled = truth.get(1);
        assertEquals("CUSTODY_BYPASS", bypass.scheme());
        assertEquals(List.of("CUSTODY_BYPASS"), bypass.detectors());
        assertEquals(start.plus(Duration.ofHours(6)), bypass.onsetEventTime());
        assertEquals("UNRECONCILED_FLOW", unreconciled.scheme());
        assertEquals(List.of("UNRECONCILED_FLOW"), unreconciled.detectors());
        assertEquals(start, unreconciled.onsetEventTime());
        assertNotEquals(bypass.subjectId(), unreconciled.subjectId());
        assertTrue(sim.platformIds().containsAll(List.of(bypass.subjectId(), unreconciled.subjectId())));
    }

    @Test
    void shouldWriteTruthAsJsonLinesThatReadBack() throws IOException {
        // Given the default market's truth
        List<TruthRecord> truth = new MarketSimulator(MarketConfig.defaults()).truth();

        // When it is written as JSON lines and read again
        StringWriter out = new StringWriter();
        TruthWriter.write(truth, out);
        List<TruthRecord> back = TruthWriter.read(new StringReader(out.toString()));

        // Then one line per record, with ISO and epoch-millis onset, round-tripping exactly
        String[] lines = out.toString().split("\n");
        assertEquals(truth.size(), lines.length);
        assertTrue(lines[0].startsWith("{\"scheme\":\"CUSTODY_BYPASS\",\"kind\":\"SCHEME\",\"detectors\":"
                + "[\"CUSTODY_BYPASS\"],\"subjectType\":\"PLATFORM\",\"subjectId\":\"P-"), lines[0]);
        assertTrue(out.toString().contains("\"kind\":\"NEAR_MISS\""));
        assertTrue(lines[0].contains("\"onsetEventTime\":\"2025-06-01T16:00:00Z\",\"onsetEventTimeMillis\":1748793600000"),
                lines[0]);
        assertEquals(truth, back);
    }

    @Test
    void shouldHaveNoTruthAndNoBypassInAnHonestMarket() {
        // Given a market without schemes
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().noSchemes().simulatedDays(2).build());
        List<SimEvent> registry = sim.registry();
        List<SimEvent> events = MarketFixtures.all(sim.events());

        // When / Then no scheme is labelled (only near misses) and no platform's general account receives
        // individuals' money
        assertEquals(List.of(), sim.truth().stream().filter(t -> !t.isNearMiss()).toList());
        assertEquals(6, sim.platformIds().size());
        for (String platform : sim.platformIds()) {
            assertEquals(List.of(), bypassPayments(registry, events, platform));
            assertEquals(List.of(), unbookedTopUps(registry, events, platform));
        }
    }
}

