package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.TxType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The default market's near misses are there, labelled, and stay on the honest side of each limit. */
class NearMissesTest {
    private static final MarketConfig CONFIG = MarketConfig.builder().seed(7).simulatedDays(40).volume(0.05).build();
    private static final MarketSimulator SIM = new MarketSimulator(CONFIG);
    private static final List<TruthRecord> TRUTH = SIM.truth();
    private static final List<SimEvent> EVENTS = MarketFixtures.all(SIM.events());
    private static final List<SimEvent> REGISTRY = SIM.registry();

    private static List<TruthRecord> labelled(NearMiss n) {
        return TRUTH.stream().filter(t -> t.isNearMiss() && t.scheme().equals(n.name())).toList();
    }

    private static String platformOf(NearMiss n) {
        return labelled(n).get(0).subjectId();
    }

    @Test
    void shouldLabelEveryNearMissOfADefaultMarketWithItsDetectors() {
        Set<NearMiss> seen = EnumSet.noneOf(NearMiss.class);
        TRUTH.stream().filter(TruthRecord::isNearMiss).forEach(t -> {
            NearMiss n = NearMiss.valueOf(t.scheme());
            seen.add(n);
            assertEquals(n.detectors(), t.detectors());
            assertTrue(t.subjectType() != null, t.toString());
        });
        assertEquals(EnumSet.allOf(NearMiss.class), seen);
        // No near miss is a scheme's subject.
        Set<String> schemeSubjects = TRUTH.stream().filter(t -> !t.isNearMiss()).map(TruthRecord::subjectId)
                .collect(Collectors.toSet());
        TRUTH.stream().filter(TruthRecord::isNearMiss).forEach(t -> assertTrue(!schemeSubjects.contains(t.subjectId()),
                t.toString()));
    }

    @Test
    void shouldPaySubsidiesUnderATenthOfTheInterestAndDefaultsFromTheReserveAndTheGuarantor() {
        List<CustodyTransaction> custody = MarketFixtures.custody(EVENTS);
        String subsidising = platformOf(NearMiss.SUBSIDY_WITHIN_LIMITS);
        long subsidy = sum(custody, subsidising, TxType.SUBSIDY, null);
        long interest = sum(custody, subsidising, TxType.REPAY_INTEREST, null);
        assertTrue(subsidy > 0 && subsidy * 10 < interest, subsidy + " of " + interest);

        String reserve = platformOf(NearMiss.RESERVE_PAYS_AFTER_DEFAULT);
        assertTrue(sum(custody, reserve, TxType.REPAY_PRINCIPAL, AccountRole.RISK_RESERVE) > 0);
        assertTrue(custody.stream().anyMatch(tx -> tx.getPlatformId().equals(reserve) && tx.getType() == TxType.TRANSFER
                && tx.getCreditRole() == AccountRole.RISK_RESERVE && tx.getDebitRole() == AccountRole.PLATFORM_OWN));
        String guaranteed = platformOf(NearMiss.GUARANTOR_PAYS_AFTER_DEFAULT);
        assertTrue(sum(custody, guaranteed, TxType.REPAY_PRINCIPAL, AccountRole.GUARANTOR) > 0);
    }

    @Test
    void shouldIssueProductsAtTheLimitsOfTheYieldAndTermRules() {
        Map<String, Product> products = new HashMap<>();
        List<SimEvent> all = new ArrayList<>(REGISTRY);
        all.addAll(EVENTS);
        MarketFixtures.values(all, Product.class).forEach(p -> products.put(p.getProductId(), p));
        for (TruthRecord t : labelled(NearMiss.YIELD_BELOW_CEILING)) {
            assertEquals(1_190, products.get(t.subjectId()).getDeclaredAnnualYieldBps());
        }
        Product matched = products.get(labelled(NearMiss.MATCHED_WEALTH_PLAN).get(0).subjectId());
        assertEquals(ProductKind.WEALTH_PLAN, matched.getKind());
        assertEquals(matched.getTermDays(), matched.getUnderlyingTermDays());
        Product ninety = products.get(labelled(NearMiss.CLOSED_END_90_DAYS).get(0).subjectId());
        assertEquals(90, ninety.getTermDays());
        assertEquals(90, ninety.getUnderlyingTermDays());

        String borrower = labelled(NearMiss.BORROWER_AT_CAPS).get(0).subjectId();
        List<Product> loans = products.values().stream().filter(p -> borrower.equals(p.getBorrowerPartyId())).toList();
        assertEquals(5, loans.size());
        assertEquals(5, loans.stream().map(Product::getPlatformId).distinct().count());
        loans.forEach(p -> assertEquals(200_000_00L, p.getTargetAmountMinor()));
    }

    @Test
    void shouldLetPeoplePayFromSeveralCardsAndShopsCollectFromHundreds() {
        List<ClearingPayment> clearing = MarketFixtures.clearing(EVENTS);
        Map<String, Set<String>> cardsOfParty = new HashMap<>();
        clearing.forEach(p -> cardsOfParty.computeIfAbsent(p.getPayerPartyId(), k -> new HashSet<>())
                .add(p.getPayerAccountId()));
        assertTrue(cardsOfParty.values().stream().filter(c -> c.size() >= 2).count() > 50);
        for (TruthRecord shop : labelled(NearMiss.BUSY_SHOP)) {
            long payers = clearing.stream().filter(p -> p.getPayeeAccountId().equals(shop.subjectId()))
                    .map(ClearingPayment::getPayerPartyId).distinct().count();
            long payees = clearing.stream().filter(p -> p.getPayerAccountId().equals(shop.subjectId()))
                    .map(ClearingPayment::getPayeeAccountId).distinct().count();
            assertTrue(payers >= 150 && payees <= 3, shop.subjectId() + ": " + payers + " payers, " + payees
                    + " payees");
        }
    }

    @Test
    void shouldDeliverTheBatchCustodiansLedgerTheNextMorningAndTheLaggingOneTwoHoursLate() {
        String batch = platformOf(NearMiss.NEXT_MORNING_CUSTODIAN);
        String lagging = platformOf(NearMiss.CLEARING_AHEAD_OF_CUSTODY);
        long newest = Long.MIN_VALUE;
        List<Long> batchLag = new ArrayList<>();
        List<Long> lag = new ArrayList<>();
        for (SimEvent e : EVENTS) {
            newest = Math.max(newest, e.eventTimeMillis());
            if (e.value() instanceof CustodyTransaction tx) {
                if (tx.getPlatformId().equals(batch)) {
                    batchLag.add(newest - e.eventTimeMillis());
                } else if (tx.getPlatformId().equals(lagging)) {
                    lag.add(newest - e.eventTimeMillis());
                }
            }
        }
        long[] b = batchLag.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] l = lag.stream().mapToLong(Long::longValue).sorted().toArray();
        // Delivered at 08:00 Beijing time the next day: from 8 to 32 hours after booking.
        assertTrue(b[b.length / 2] > 8 * Rand.HOUR && b[b.length - 1] <= 32 * Rand.HOUR + 20 * Rand.MINUTE,
                Arrays.toString(Arrays.copyOf(b, 5)));
        assertTrue(l[l.length / 2] >= 2 * Rand.HOUR - Rand.MINUTE && l[l.length / 2] <= 2 * Rand.HOUR + 20 * Rand.MINUTE,
                "median lag " + l[l.length / 2]);
    }

    private static long sum(List<CustodyTransaction> custody, String platform, TxType type, AccountRole debit) {
        return custody.stream().filter(tx -> tx.getPlatformId().equals(platform) && tx.getType() == type)
                .filter(tx -> debit == null || tx.getDebitRole() == debit)
                .mapToLong(CustodyTransaction::getAmountMinor).sum();
    }
}
