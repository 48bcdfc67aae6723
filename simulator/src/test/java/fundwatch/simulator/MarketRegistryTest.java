package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarketRegistryTest {
    private final MarketSimulator sim = new MarketSimulator(MarketConfig.builder().simulatedDays(5).build());
    private final List<SimEvent> registry = sim.registry();

    @Test
    void shouldRegisterOneLicensedActiveP2pPlatformPerHonestSlotAndScheme() {
        // Given the default market: 6 honest platforms and the five schemes that run a platform of their own
        // When its registry is read
        List<Platform> platforms = MarketFixtures.values(registry, Platform.class).stream()
                .filter(p -> p.getKind() == PlatformKind.P2P_LENDING).toList();

        // Then there are 11 P2P platforms (beside them: payment institutions and an asset manager), all licensed P2P lenders in custody, with a region
        assertEquals(11, platforms.size());
        for (Platform p : platforms) {
            assertEquals(PlatformKind.P2P_LENDING, p.getKind());
            assertTrue(p.getLicensed());
            assertNotNull(p.getCustodianId());
            assertEquals(PlatformStatus.ACTIVE, p.getStatus());
            assertTrue(World.REGIONS.contains(p.getRegionCode()), p.getRegionCode());
            assertTrue(p.getPlatformId().matches("P-\\d{3}"), p.getPlatformId());
        }
        assertEquals(sim.platformIds(), platforms.stream().map(Platform::getPlatformId).toList());
    }

    @Test
    void shouldReferenceOnlyRegisteredPlatformsFromAccountsAndProducts() {
        // Given the registry and the products issued while the market runs
        Set<String> platformIds = MarketFixtures.values(registry, Platform.class).stream()
                .map(Platform::getPlatformId).collect(Collectors.toSet());
        List<Product> products = new ArrayList<>(MarketFixtures.values(registry, Product.class));
        products.addAll(MarketFixtures.values(MarketFixtures.all(sim.events()), Product.class));

        // When / Then every account and every product points at a registered platform
        for (AccountRegistration a : MarketFixtures.values(registry, AccountRegistration.class)) {
            assertTrue(platformIds.contains(a.getPlatformId()), a.toString());
        }
        assertTrue(products.size() > 100, "products: " + products.size());
        for (Product p : products) {
            assertTrue(platformIds.contains(p.getPlatformId()), p.toString());
        }
    }

    @Test
    void shouldRegisterCustodyMasterGeneralAndRelatedPartyAccountsForEveryPlatform() {
        // Given the registered accounts grouped by platform
        Map<String, Set<AccountPurpose>> purposes = MarketFixtures.values(registry, AccountRegistration.class).stream()
                .filter(a -> sim.platformIds().contains(a.getPlatformId()))
                .collect(Collectors.groupingBy(AccountRegistration::getPlatformId,
                        Collectors.mapping(AccountRegistration::getPurpose, Collectors.toCollection(TreeSet::new))));

        // When / Then each platform has the three accounts D3 needs, with bank and holder
        assertEquals(11, purposes.size());
        purposes.values().forEach(set -> assertTrue(set.containsAll(Set.of(
                AccountPurpose.CUSTODY_MASTER, AccountPurpose.PLATFORM_GENERAL, AccountPurpose.RELATED_PARTY)), set.toString()));
        for (AccountRegistration a : MarketFixtures.values(registry, AccountRegistration.class)) {
            assertNotNull(a.getBankId());
            assertTrue(a.getHolderPartyId().startsWith("pty-"), a.getHolderPartyId());
        }
    }

    @Test
    void shouldIssueLoanProjectsWithPlausibleTermsUnderTheYieldCeiling() {
        // Given every product of the market
        List<Product> products = new ArrayList<>(MarketFixtures.values(registry, Product.class));
        products.addAll(MarketFixtures.values(MarketFixtures.all(sim.events()), Product.class));

        // When / Then they are loan projects with a borrower, a positive target, no guarantee: 8–11 % a year
        // (under the 4 × LPR ceiling) except the Ponzi's, which advertise 18–30 %, and the pooling platform's
        // wealth plan
        String ponzi = sim.truth().stream().filter(t -> t.scheme().equals("PONZI")).findFirst().orElseThrow()
                .subjectId();
        String pooling = sim.truth().stream().filter(t -> t.scheme().equals("POOLING")).findFirst().orElseThrow()
                .subjectId();
        products.removeIf(p -> p.getPlatformId().equals(pooling) && p.getKind() == ProductKind.WEALTH_PLAN);
        // The near misses' products (1 190 bps, plans matched to their loans) are checked in NearMissesTest.
        java.util.Set<String> nearMisses = sim.truth().stream().filter(TruthRecord::isNearMiss)
                .map(TruthRecord::subjectId).collect(java.util.stream.Collectors.toSet());
        products.removeIf(p -> nearMisses.contains(p.getProductId()));
        assertTrue(products.stream().anyMatch(p -> p.getPlatformId().equals(ponzi)
                && p.getDeclaredAnnualYieldBps() >= 1800 && p.getDeclaredAnnualYieldBps() <= 3000));
        for (Product p : products) {
            assertEquals(ProductKind.LOAN_PROJECT, p.getKind());
            boolean honestYield = p.getDeclaredAnnualYieldBps() >= 800 && p.getDeclaredAnnualYieldBps() <= 1100;
            assertTrue(honestYield || p.getPlatformId().equals(ponzi), p.toString());
            assertTrue(p.getTermDays() > 0);
            assertTrue(p.getTargetAmountMinor() > 0);
            assertFalse(p.getGuaranteedReturn());
            assertTrue(p.getBorrowerPartyId().startsWith("pty-"));
        }
        assertEquals(products.size(), products.stream().map(Product::getProductId).distinct().count());
    }

    @Test
    void shouldPublishTheOneYearLprAsTheFirstRegistryRecord() {
        // Given / When the registry is read
        SimEvent first = registry.get(0);

        // Then it starts with LPR_1Y = 300 bps from 2025-05-20, keyed by its rate id
        BenchmarkRate lpr = (BenchmarkRate) first.value();
        assertEquals(TopicRole.RATES, first.role());
        assertEquals("LPR_1Y", first.key());
        assertEquals(300, lpr.getValueBps());
        assertEquals(Instant.parse("2025-05-19T16:00:00Z"), lpr.getEffectiveFrom());
    }

    @Test
    void shouldKeyRegistryRecordsByTheirOwnIds() {
        // Given / When / Then each registry record's key is its own id
        for (SimEvent e : registry) {
            String id = switch (e.role()) {
                case PLATFORMS -> ((Platform) e.value()).getPlatformId();
                case ACCOUNTS -> ((AccountRegistration) e.value()).getAccountId();
                case PRODUCTS -> ((Product) e.value()).getProductId();
                case RATES -> ((BenchmarkRate) e.value()).getRateId();
                default -> throw new AssertionError("unexpected role in registry: " + e.role());
            };
            assertEquals(id, e.key());
        }
    }

    @Test
    void shouldRegisterLicensedPaymentInstitutionsWithReservesAtTwoOrThreeBanksButNotTheUnlicensedOne() {
        // Given the default market's payment institutions
        Map<String, Platform> platforms = MarketFixtures.values(registry, Platform.class).stream()
                .collect(Collectors.toMap(Platform::getPlatformId, p -> p));
        String unlicensed = sim.truth().stream().filter(t -> t.scheme().equals("UNLICENSED_PAYMENT")).findFirst()
                .orElseThrow().subjectId();

        // When / Then the ids the card payments carry, and every other institution but the unlicensed one, are
        // licensed PAYMENT_INSTITUTIONs with their reserves registered to them
        assertTrue(sim.institutionIds().containsAll(List.of("PI-ALIPAY", "PI-TENPAY", "PI-UNIONPAY")));
        for (String id : sim.institutionIds()) {
            if (id.equals(unlicensed)) {
                assertTrue(!platforms.containsKey(id), id);
                continue;
            }
            assertEquals(PlatformKind.PAYMENT_INSTITUTION, platforms.get(id).getKind());
            assertTrue(platforms.get(id).getLicensed());
            long reserves = MarketFixtures.values(registry, AccountRegistration.class).stream()
                    .filter(a -> id.equals(a.getPlatformId()) && a.getPurpose() == AccountPurpose.PAYMENT_RESERVE)
                    .map(AccountRegistration::getBankId).distinct().count();
            assertTrue(reserves >= 2 && reserves <= 3, id + ": " + reserves);
        }
    }
}
