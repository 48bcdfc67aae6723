package fundwatch.topology.maturity;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.invest;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D2 MATURITY_MISMATCH: short products over long loans, and term splitting, through the real topology. */
class MaturityMismatchTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenALicensedPlatform() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Product plan(String id, int termDays, Integer underlyingDays, String borrower, int issuedDaysAgo) {
        return Product.newBuilder(product(id, "P-1", 800, false)).setKind(ProductKind.WEALTH_PLAN)
                .setTermDays(termDays).setUnderlyingTermDays(underlyingDays).setBorrowerPartyId(borrower)
                .setIssuedAt(T0.minus(Duration.ofDays(issuedDaysAgo))).build();
    }

    private List<FundFlowAlert> mismatches() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("MATURITY_MISMATCH")).toList();
    }

    @Test
    void shouldAlertOnRegistrationAndReviseWhenMoneyFlowsIn() {
        // A 60-day wealth plan over 360-day loans: short money, long loans, and under the 90-day floor
        fx.issue(plan("WP-1", 60, 360, null, 0));
        List<FundFlowAlert> first = mismatches();
        assertEquals(1, first.size());
        assertEquals(Severity.CRITICAL, first.get(0).getSeverity());
        assertEquals(SubjectType.PRODUCT, first.get(0).getSubjectType());
        assertEquals(1, first.get(0).getRevision());

        // When ¥500,000 flows into it
        fx.post(invest("INV-1", "P-1", "WP-1", 500_000, T0.plus(Duration.ofMinutes(5))));

        // Then the same alert gets a new revision carrying the money
        List<FundFlowAlert> next = mismatches();
        assertEquals(1, next.size());
        assertEquals(first.get(0).getAlertId(), next.get(0).getAlertId());
        assertEquals(2, next.get(0).getRevision());
        assertEquals(50_000_000d, next.get(0).getMetrics().get("investedMinor"));
    }

    @Test
    void shouldRateAMismatchAboveTheClosedEndFloorHighNotCritical() {
        // 180 days over 360-day loans: still mismatched, but not under 90 days
        fx.issue(plan("WP-2", 180, 360, null, 0));

        assertEquals(Severity.HIGH, mismatches().get(0).getSeverity());
    }

    @Test
    void shouldStayQuietForMatchedTermsAndForLoanProjects() {
        // A plan as long as its loans, a plan longer than its loans, and a direct loan project (no underlying)
        fx.issue(plan("WP-3", 360, 360, null, 0));
        fx.issue(plan("WP-4", 400, 360, null, 0));
        fx.issue(product("LOAN-1", "P-1", 800, false));
        fx.post(invest("INV-1", "P-1", "LOAN-1", 100_000, T0.plus(Duration.ofMinutes(5))));

        assertTrue(mismatches().isEmpty());
    }

    @Test
    void shouldJudgeOnlyWealthPlansOrClosedEndProductsUnderTheFloorAndKeepNoMoneyOfOthers() {
        // A 180-day loan project that names 360-day loans behind it: neither a wealth plan nor under the 90-day
        // closed-end floor, so D2 does not apply to it.
        fx.issue(Product.newBuilder(plan("LP-1", 180, 360, null, 0)).setKind(ProductKind.LOAN_PROJECT).build());
        // A 60-day loan project over 360-day loans is under the closed-end floor: D2's second clause.
        fx.issue(Product.newBuilder(plan("LP-2", 60, 360, null, 0)).setKind(ProductKind.LOAN_PROJECT).build());
        // Money into an ordinary product, registered and not mismatched, is no evidence of anything.
        fx.issue(plan("WP-9", 360, 360, null, 0));
        fx.post(invest("INV-9", "P-1", "WP-9", 500_000, T0.plus(Duration.ofMinutes(5))));
        fx.post(invest("INV-8", "P-1", "LP-1", 500_000, T0.plus(Duration.ofMinutes(6))));

        assertEquals(List.of("LP-2"), mismatches().stream().map(FundFlowAlert::getSubjectId).toList());
        org.apache.kafka.streams.state.KeyValueStore<String, Object> invested =
                fx.driver.getKeyValueStore("maturity-invested-store");
        assertTrue(invested.get("WP-9") == null && invested.get("LP-1") == null,
                "D2 keeps the money of mismatched (or not yet registered) products only");
    }

    @Test
    void shouldDetectTermSplittingOfOneBorrowersLoanAcrossShortProducts() {
        // Borrower B-1's 360-day loan financed by three 120-day plans (each also a product mismatch) in 20 days
        fx.issue(plan("SP-1", 120, 360, "pty-B-1", 20));
        fx.issue(plan("SP-2", 120, 360, "pty-B-1", 10));
        fx.issue(plan("SP-3", 120, 360, "pty-B-1", 0));
        // Borrower B-2: two short plans, but 45 days apart — outside the 30-day window
        fx.issue(plan("SP-4", 120, 360, "pty-B-2", 45));
        fx.issue(plan("SP-5", 120, 360, "pty-B-2", 0));

        List<FundFlowAlert> splitting = mismatches().stream()
                .filter(a -> a.getSubjectType() == SubjectType.PARTY).toList();
        assertTrue(splitting.stream().allMatch(a -> a.getSubjectId().equals("pty-B-1")));
        FundFlowAlert last = splitting.get(splitting.size() - 1);
        assertEquals(3d, last.getMetrics().get("splitProducts"));
        assertEquals("P-1", last.getPlatformId());
        assertEquals(1, splitting.stream().map(FundFlowAlert::getAlertId).distinct().count());
    }
}
