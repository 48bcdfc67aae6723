package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.TxType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schemes that need more than one platform's ledger, or none, or weeks of history: each leaves in the
 * event stream the pattern its detector looks for — and nothing that breaks the custody rules it keeps.
 */
class PlantedSchemesTest {
    private static final long YUAN = 100;

    private record Run(MarketSimulator sim, List<SimEvent> registry, List<SimEvent> events, TruthRecord truth) {
    }

    private static Run run(MarketConfig config, Scheme scheme) {
        MarketSimulator sim = new MarketSimulator(config);
        List<TruthRecord> all = sim.truth().stream().filter(t -> t.scheme().equals(scheme.name())).toList();
        TruthRecord truth = all.get(0);
        // The scheme's records together expect every detector of the scheme, each about its own subject.
        assertEquals(new java.util.TreeSet<>(scheme.detectors()), all.stream().flatMap(t -> t.detectors().stream())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        return new Run(sim, sim.registry(), MarketFixtures.all(sim.events()), truth);
    }

    private static long sum(List<CustodyTransaction> txs) {
        return txs.stream().mapToLong(CustodyTransaction::getAmountMinor).sum();
    }

    @Test
    void shouldLendOneIndividualThreeHundredThousandOnEachOfFourPlatforms() {
        // Given a three-day market with a borrower over the caps
        Run r = run(MarketConfig.builder().simulatedDays(3).noSchemes().scheme(Scheme.BORROWER_OVER_CAPS).build(),
                Scheme.BORROWER_OVER_CAPS);
        String borrower = r.truth().subjectId();

        // When the borrower's loan projects and the money lent into them are collected
        List<Product> loans = MarketFixtures.values(r.events(), Product.class).stream()
                .filter(p -> borrower.equals(p.getBorrowerPartyId())).toList();
        List<CustodyTransaction> lent = MarketFixtures.custody(r.events()).stream()
                .filter(tx -> tx.getType() == TxType.INVEST && tx.getCreditRole() == AccountRole.BORROWER
                        && borrower.equals(tx.getCreditPartyId())).toList();

        // Then four ¥300,000 projects on four platforms, raised beyond ¥1,000,000 in all from honest lenders' INVESTs
        assertEquals(4, loans.size());
        assertEquals(4, loans.stream().map(Product::getPlatformId).distinct().count());
        assertTrue(loans.stream().allMatch(p -> p.getTargetAmountMinor() == 300_000 * YUAN));
        assertTrue(sum(lent) > 1_000_000 * YUAN, "lent " + sum(lent));
        assertTrue(lent.stream().collect(Collectors.groupingBy(CustodyTransaction::getPlatformId,
                Collectors.summingLong(CustodyTransaction::getAmountMinor))).values().stream()
                .anyMatch(v -> v > 200_000 * YUAN));
        // …and the clearing network shows the borrower is a person when a loan is paid out to them
        assertTrue(MarketFixtures.clearing(r.events()).stream().anyMatch(cp -> borrower.equals(cp.getPayeePartyId())
                && cp.getPayeePartyType() == PartyType.INDIVIDUAL));
    }

    @Test
    void shouldPoolAShortWealthPlansMoneyInTheOwnAccountAndOversellALoan() {
        // Given a two-day market with a pooling platform
        Run r = run(MarketConfig.builder().simulatedDays(2).noSchemes().scheme(Scheme.POOLING).build(), Scheme.POOLING);
        String platform = r.truth().subjectId();
        List<Product> products = MarketFixtures.values(r.events(), Product.class).stream()
                .filter(p -> p.getPlatformId().equals(platform)).toList();
        Product plan = products.stream().filter(p -> p.getKind() == ProductKind.WEALTH_PLAN).findFirst().orElseThrow();
        List<CustodyTransaction> invests = MarketFixtures.custody(r.events()).stream()
                .filter(tx -> tx.getPlatformId().equals(platform) && tx.getType() == TxType.INVEST).toList();

        // Then the plan is short money over long loans (D2)…
        assertTrue(plan.getTermDays() < plan.getUnderlyingTermDays(), plan.toString());
        // …its money goes to the platform's own account (D1a), well over ¥100,000 a day…
        List<CustodyTransaction> pooled = invests.stream().filter(tx -> plan.getProductId().equals(tx.getProductId()))
                .toList();
        assertTrue(pooled.stream().allMatch(tx -> tx.getCreditRole() == AccountRole.PLATFORM_OWN));
        assertTrue(sum(pooled) > 200_000 * YUAN, "pooled " + sum(pooled));
        // …and one loan project takes more than its target (D1b)
        assertTrue(products.stream().filter(p -> p.getKind() == ProductKind.LOAN_PROJECT).anyMatch(p ->
                sum(invests.stream().filter(tx -> p.getProductId().equals(tx.getProductId())).toList())
                        > p.getTargetAmountMinor() * 101 / 100));
        // …while every lender top-up is still booked in custody, one deposit per payment of the same person and
        // amount: the ledger is not where this scheme cheats
        Map<String, Long> deposits = MarketFixtures.custody(r.events()).stream()
                .filter(tx -> tx.getPlatformId().equals(platform) && tx.getType() == TxType.DEPOSIT)
                .collect(Collectors.groupingBy(tx -> tx.getDebitPartyId() + "|" + tx.getAmountMinor(),
                        Collectors.counting()));
        Map<String, String> masters = MarketFixtures.platformOf(r.registry(), AccountPurpose.CUSTODY_MASTER);
        Map<String, Long> payments = MarketFixtures.clearing(r.events()).stream()
                .filter(cp -> platform.equals(masters.get(cp.getPayeeAccountId())))
                .collect(Collectors.groupingBy(cp -> cp.getPayerPartyId() + "|" + cp.getAmountMinor(),
                        Collectors.counting()));
        assertTrue(payments.size() > 20, "payments: " + payments.size());
        assertEquals(payments, deposits);
    }

    @Test
    void shouldCollectFromHundredsOfIndividualsIntoAnUnregisteredAccountAndPaySomeBack() {
        // Given a twelve-day market with an unlicensed hub
        Run r = run(MarketConfig.builder().simulatedDays(12).noSchemes().scheme(Scheme.UNLICENSED_HUB).build(),
                Scheme.UNLICENSED_HUB);
        String hub = r.truth().subjectId();
        List<ClearingPayment> payments = MarketFixtures.clearing(r.events());

        // When its payers and payees are counted
        Set<String> payers = payments.stream().filter(cp -> hub.equals(cp.getPayeeAccountId())
                && cp.getPayerPartyType() == PartyType.INDIVIDUAL).map(ClearingPayment::getPayerPartyId)
                .collect(Collectors.toSet());
        Set<String> paidBack = payments.stream().filter(cp -> hub.equals(cp.getPayerAccountId()))
                .map(ClearingPayment::getPayeePartyId).collect(Collectors.toSet());

        // Then over 150 individuals paid in, more than a tenth of them got "returns", and no registry knows the account
        assertTrue(payers.size() >= 150, "payers " + payers.size());
        assertTrue(paidBack.size() * 10 >= payers.size(), paidBack.size() + " of " + payers.size());
        assertTrue(payers.containsAll(paidBack));
        assertFalse(MarketFixtures.accounts(r.registry()).containsKey(hub));
    }

    @Test
    void shouldMultiplyAGrowingPlatformsDepositsFromItsOnsetWithNewLenders() {
        // Given a spurt two days into a four-day market
        Run r = run(MarketConfig.builder().simulatedDays(4).noSchemes()
                .scheme(Scheme.RAPID_GROWTH, Duration.ofDays(2)).build(), Scheme.RAPID_GROWTH);
        String platform = r.truth().subjectId();
        long onset = r.truth().onsetEventTime().toEpochMilli();
        List<CustodyTransaction> deposits = MarketFixtures.custody(r.events()).stream()
                .filter(tx -> tx.getPlatformId().equals(platform) && tx.getType() == TxType.DEPOSIT
                        && tx.getCreditRole() == AccountRole.LENDER).toList();

        // When the deposits before and after the onset are compared
        List<CustodyTransaction> before = deposits.stream().filter(tx -> tx.getEventTime().toEpochMilli() < onset).toList();
        List<CustodyTransaction> after = deposits.stream().filter(tx -> tx.getEventTime().toEpochMilli() >= onset).toList();
        Set<String> earlier = before.stream().map(CustodyTransaction::getCreditPartyId).collect(Collectors.toSet());
        long newcomers = after.stream().map(CustodyTransaction::getCreditPartyId).distinct()
                .filter(p -> !earlier.contains(p)).count();

        // Then there are over three times as many after it, most from lenders not seen before
        assertTrue(after.size() > 3 * before.size(), after.size() + " after, " + before.size() + " before");
        assertTrue(newcomers * 2 > after.size(), newcomers + " new lenders of " + after.size() + " deposits");
    }

    @Test
    void shouldPutTheRectifyingGrowerUnderRectificationInTheRegistryAtItsOnset() {
        // Given a rectifying platform that keeps growing, ordered to rectify a day in
        Run r = run(MarketConfig.builder().simulatedDays(2).noSchemes()
                .scheme(Scheme.RECTIFYING_GROWER, Duration.ofDays(1)).build(), Scheme.RECTIFYING_GROWER);
        String platform = r.truth().subjectId();

        // When / Then the registry first lists it ACTIVE, then RECTIFYING from the onset
        assertTrue(MarketFixtures.values(r.registry(), Platform.class).stream()
                .anyMatch(p -> p.getPlatformId().equals(platform) && p.getStatus() == PlatformStatus.ACTIVE));
        List<SimEvent> updates = r.events().stream().filter(e -> e.value() instanceof Platform p
                && p.getPlatformId().equals(platform)).toList();
        assertEquals(1, updates.size());
        assertEquals(PlatformStatus.RECTIFYING, ((Platform) updates.get(0).value()).getStatus());
        assertEquals(r.truth().onsetEventTime().toEpochMilli(), updates.get(0).eventTimeMillis());
    }
}
