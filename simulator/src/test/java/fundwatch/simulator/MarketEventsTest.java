package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.Product;
import fundwatch.avro.TxType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Properties of the honest market that the detectors rely on not to raise false alarms — without the near misses,
 * which bend some of them on purpose (a T+1 custodian, several cards per person; {@code NearMissesTest}).
 */
class MarketEventsTest {
    private static final long TWO_HOURS = 2 * 3_600_000L;
    private static final MarketConfig CONFIG = MarketConfig.builder().seed(99).simulatedDays(7).nearMisses(false)
            .build();
    private static final MarketSimulator SIM = new MarketSimulator(CONFIG);
    private static final List<SimEvent> REGISTRY = SIM.registry();
    private static final List<SimEvent> EVENTS = MarketFixtures.all(SIM.events());
    private static final Set<String> SCHEME_PLATFORMS =
            SIM.truth().stream().filter(t -> !t.isNearMiss()).map(TruthRecord::subjectId).collect(Collectors.toSet());

    @Test
    void shouldKeepEveryEventTimeInsideTheSimulatedSpan() {
        // Given the span [start, start + 7 days)
        long start = CONFIG.start().toEpochMilli();
        long end = CONFIG.end().toEpochMilli();

        // When / Then every event, and the time inside its value, lies in it
        for (SimEvent e : EVENTS) {
            assertTrue(e.eventTimeMillis() >= start && e.eventTimeMillis() < end, e.toString());
            assertEquals(e.eventTimeMillis(), valueTime(e.value()), e.toString());
        }
    }

    @Test
    void shouldCarryPositiveAmountsInYuanFen() {
        // Given / When / Then every movement of money is positive, in CNY
        for (CustodyTransaction tx : MarketFixtures.values(EVENTS, CustodyTransaction.class)) {
            assertTrue(tx.getAmountMinor() > 0, tx.toString());
            assertEquals("CNY", tx.getCurrency());
        }
        for (ClearingPayment cp : MarketFixtures.values(EVENTS, ClearingPayment.class)) {
            assertTrue(cp.getAmountMinor() > 0, cp.toString());
            assertEquals("CNY", cp.getCurrency());
        }
    }

    @Test
    void shouldKeyCustodyByPlatformAndClearingByPayerAccount() {
        // Given / When / Then keys follow CONTRACT.md
        for (SimEvent e : EVENTS) {
            switch (e.role()) {
                case CUSTODY -> assertEquals(((CustodyTransaction) e.value()).getPlatformId(), e.key());
                case CLEARING -> assertEquals(((ClearingPayment) e.value()).getPayerAccountId(), e.key());
                case PRODUCTS -> assertEquals(((Product) e.value()).getProductId(), e.key());
                default -> throw new AssertionError("unexpected role in events: " + e.role());
            }
        }
    }

    @Test
    void shouldRedeliverAboutOnePercentWithIdenticalContent() {
        // Given the money events as delivered, redeliveries included
        List<CustodyTransaction> custody = MarketFixtures.values(EVENTS, CustodyTransaction.class);
        List<ClearingPayment> clearing = MarketFixtures.values(EVENTS, ClearingPayment.class);
        int delivered = custody.size() + clearing.size();

        // When they are deduplicated by id
        Map<String, SpecificRecord> first = new HashMap<>();
        int duplicates = 0;
        for (SpecificRecord r : concat(custody, clearing)) {
            String id = r instanceof CustodyTransaction tx ? tx.getEventId() : ((ClearingPayment) r).getPaymentId();
            SpecificRecord earlier = first.putIfAbsent(id, r);
            if (earlier != null) {
                duplicates++;
                // Then a redelivery repeats the original exactly
                assertEquals(earlier, r);
            }
        }

        // And they are about 1 % of deliveries
        double share = duplicates / (double) delivered;
        assertTrue(share > 0.005 && share < 0.02, "duplicate share " + share);
    }

    @Test
    void shouldDeliverMostlyInEventTimeOrderWithAFewMinutesOfLateness() {
        // Given / When the stream is read in delivery order
        long newest = Long.MIN_VALUE;
        long late = 0;
        long worst = 0;
        for (SimEvent e : EVENTS) {
            if (e.eventTimeMillis() < newest) {
                late++;
                worst = Math.max(worst, newest - e.eventTimeMillis());
            }
            newest = Math.max(newest, e.eventTimeMillis());
        }

        // Then a few percent at most arrive behind younger events, by minutes, never hours
        assertTrue(late > 0, "some events should be out of order");
        assertTrue(late < 0.03 * EVENTS.size(), "late events: " + late);
        assertTrue(worst <= 20 * 60_000L, "worst lateness ms: " + worst);
    }

    @Test
    void shouldMatchEveryHonestTopUpWithACustodyDepositWithinTwoHours() {
        // Given honest platforms' custody-master accounts and their custody DEPOSITs, deduplicated
        Map<String, String> masters = MarketFixtures.platformOf(REGISTRY, AccountPurpose.CUSTODY_MASTER);
        List<CustodyTransaction> deposits = MarketFixtures.custody(EVENTS).stream()
                .filter(tx -> tx.getType() == TxType.DEPOSIT && !SCHEME_PLATFORMS.contains(tx.getPlatformId()))
                .toList();
        List<ClearingPayment> topUps = MarketFixtures.clearing(EVENTS).stream()
                .filter(cp -> masters.containsKey(cp.getPayeeAccountId()))
                .filter(cp -> !SCHEME_PLATFORMS.contains(masters.get(cp.getPayeeAccountId())))
                .toList();

        // When each top-up is paired one-to-one with a deposit of the same platform and amount
        Matcher matcher = new Matcher();
        deposits.forEach(tx -> matcher.add(tx.getPlatformId(), tx.getAmountMinor(), tx.getEventTime().toEpochMilli()));
        List<ClearingPayment> unmatched = topUps.stream()
                .filter(cp -> !matcher.take(masters.get(cp.getPayeeAccountId()), cp.getAmountMinor(),
                        cp.getEventTime().toEpochMilli(), TWO_HOURS))
                .toList();

        // Then none is left over — on either side
        assertTrue(topUps.size() > 1_000, "top-ups: " + topUps.size());
        assertEquals(List.of(), unmatched);
        assertEquals(0, matcher.remaining(), "deposits with no clearing payment");
    }

    @Test
    void shouldPayOutEveryHonestWithdrawalThroughClearingWithinTwoHours() {
        // Given honest custody WITHDRAWALs and the clearing payments out of custody-master accounts
        Map<String, String> masters = MarketFixtures.platformOf(REGISTRY, AccountPurpose.CUSTODY_MASTER);
        Matcher payouts = new Matcher();
        MarketFixtures.clearing(EVENTS).stream()
                .filter(cp -> masters.containsKey(cp.getPayerAccountId()))
                .forEach(cp -> payouts.add(masters.get(cp.getPayerAccountId()), cp.getAmountMinor(),
                        cp.getEventTime().toEpochMilli()));
        List<CustodyTransaction> withdrawals = MarketFixtures.custody(EVENTS).stream()
                .filter(tx -> tx.getType() == TxType.WITHDRAWAL && !SCHEME_PLATFORMS.contains(tx.getPlatformId()))
                .toList();

        // When / Then each has a payout of the same platform and amount within two hours
        assertTrue(withdrawals.size() > 100, "withdrawals: " + withdrawals.size());
        for (CustodyTransaction tx : withdrawals) {
            assertTrue(payouts.take(tx.getPlatformId(), tx.getAmountMinor(), tx.getEventTime().toEpochMilli(), TWO_HOURS),
                    tx.toString());
        }
    }

    @Test
    void shouldMoveLenderMoneyOnlyIntoNamedProductsOfBorrowers() {
        // Given / When / Then every INVEST goes lender → borrower of a product, and no product raises beyond target
        Map<String, Long> targets = new HashMap<>();
        MarketFixtures.values(REGISTRY, Product.class).forEach(p -> targets.put(p.getProductId(), p.getTargetAmountMinor()));
        MarketFixtures.values(EVENTS, Product.class).forEach(p -> targets.put(p.getProductId(), p.getTargetAmountMinor()));
        Map<String, Long> raised = new HashMap<>();
        for (CustodyTransaction tx : MarketFixtures.custody(EVENTS)) {
            // The pooling and Ponzi platforms break exactly this rule; MarketSchemesTest and PlantedSchemesTest
            if (tx.getType() == TxType.INVEST && !SCHEME_PLATFORMS.contains(tx.getPlatformId())) {
                assertEquals(AccountRole.LENDER, tx.getDebitRole());
                assertEquals(AccountRole.BORROWER, tx.getCreditRole());
                assertTrue(targets.containsKey(tx.getProductId()), tx.toString());
                raised.merge(tx.getProductId(), tx.getAmountMinor(), Long::sum);
            }
        }
        raised.forEach((product, amount) -> assertTrue(amount <= targets.get(product), product));
    }

    @Test
    void shouldSendNothingIntoHonestPlatformsGeneralOrRelatedPartyAccounts() {
        // Given the general and related-party accounts of honest platforms
        Set<AccountPurpose> offBook = EnumSet.of(AccountPurpose.PLATFORM_GENERAL, AccountPurpose.RELATED_PARTY);
        Set<String> honestOffBook = MarketFixtures.accounts(REGISTRY).values().stream()
                .filter(a -> offBook.contains(a.getPurpose()) && !SCHEME_PLATFORMS.contains(a.getPlatformId())
                        && SIM.platformIds().contains(a.getPlatformId())) // P2P platforms; institutions draw fees
                .map(a -> a.getAccountId()).collect(Collectors.toSet());

        // When / Then no clearing payment reaches or leaves them — but for the monthly salary from a platform's general
        // account to its own related party (D8's near miss: the platform's own money, moving within the platform)
        for (ClearingPayment cp : MarketFixtures.clearing(EVENTS)) {
            if (honestOffBook.contains(cp.getPayerAccountId()) && honestOffBook.contains(cp.getPayeeAccountId())
                    && cp.getPayerAccountId().endsWith("-GEN")
                    && cp.getPayeeAccountId().equals(cp.getPayerAccountId().replace("-GEN", "-RP"))) {
                continue;
            }
            assertTrue(!honestOffBook.contains(cp.getPayeeAccountId()) && !honestOffBook.contains(cp.getPayerAccountId()),
                    cp.toString());
        }
    }

    @Test
    void shouldIncludeBackgroundShopsAndPayrolls() {
        // Given the clearing payments not touching any platform account
        Set<String> platformAccounts = MarketFixtures.accounts(REGISTRY).keySet();
        List<ClearingPayment> background = MarketFixtures.clearing(EVENTS).stream()
                .filter(cp -> !platformAccounts.contains(cp.getPayeeAccountId())
                        && !platformAccounts.contains(cp.getPayerAccountId()))
                .toList();

        // When / Then individuals pay companies (shops) and companies pay individuals (salaries)
        assertTrue(background.stream().anyMatch(cp -> cp.getPayerPartyType() == PartyType.INDIVIDUAL
                && cp.getPayeePartyType() == PartyType.CORPORATE));
        assertTrue(background.stream().anyMatch(cp -> cp.getPayerPartyType() == PartyType.CORPORATE
                && cp.getPayeePartyType() == PartyType.INDIVIDUAL && "工资".equals(cp.getPurpose())));
    }

    @Test
    void shouldUsePseudonymousPartyTokensAndUniqueIds() {
        // Given / When / Then every party id is a token, and distinct records never share an id
        Set<String> seen = new java.util.HashSet<>();
        for (ClearingPayment cp : MarketFixtures.clearing(EVENTS)) {
            assertTrue(cp.getPayerPartyId().matches("pty-[0-9a-f]{16}"), cp.getPayerPartyId());
            assertTrue(cp.getPayeePartyId().matches("pty-[0-9a-f]{16}"), cp.getPayeePartyId());
            assertTrue(cp.getPaymentId().matches("CP-\\d{6,}") && seen.add(cp.getPaymentId()));
        }
        for (CustodyTransaction tx : MarketFixtures.custody(EVENTS)) {
            assertTrue(tx.getEventId().matches("CT-\\d{6,}") && seen.add(tx.getEventId()));
        }
    }

    private static long valueTime(SpecificRecord value) {
        if (value instanceof CustodyTransaction tx) {
            return tx.getEventTime().toEpochMilli();
        }
        if (value instanceof ClearingPayment cp) {
            return cp.getEventTime().toEpochMilli();
        }
        return ((Product) value).getIssuedAt().toEpochMilli();
    }

    private static List<SpecificRecord> concat(List<? extends SpecificRecord> a, List<? extends SpecificRecord> b) {
        List<SpecificRecord> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** One-to-one pairing by (platform, amount) within a time tolerance. */
    static final class Matcher {
        private final Map<String, List<Long>> open = new HashMap<>();

        void add(String platform, long amount, long time) {
            open.computeIfAbsent(platform + "|" + amount, k -> new ArrayList<>()).add(time);
        }

        boolean take(String platform, long amount, long time, long tolerance) {
            List<Long> times = open.get(platform + "|" + amount);
            if (times != null) {
                for (int i = 0; i < times.size(); i++) {
                    if (Math.abs(times.get(i) - time) <= tolerance) {
                        times.remove(i);
                        return true;
                    }
                }
            }
            return false;
        }

        long remaining() {
            return open.values().stream().mapToLong(List::size).sum();
        }
    }
}
