package fundwatch.topology.unlicensedpayment;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.InstitutionFixtures.institution;
import static fundwatch.topology.support.InstitutionFixtures.sameBank;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnlicensedPaymentDetectorTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenALicensedInstitutionAndAP2pPlatform() {
        fx = new TopologyFixture();
        fx.register(institution("PI-OK"));
        fx.register(p2pPlatform("P-17"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<FundFlowAlert> unlicensedAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("UNLICENSED_PAYMENT")).toList();
    }

    /** {@code n} small payments under {@code institution}, within one bank (so D3d has nothing to say). */
    private void payUnder(String institution, int n, long yuan) {
        for (int i = 0; i < n; i++) {
            fx.pay(sameBank("PAY-" + institution + "-" + i, institution, "BANK-1", "CARD-" + i, "SHOP-1", yuan,
                    T0.plusSeconds(30L * i)));
        }
    }

    @Test
    void shouldAlertOnTheTwentiethPaymentOfAnUnregisteredInstitution() {
        // Nineteen ¥100 payments could be mis-keyed records; the twentieth is a business.
        payUnder("PI-GHOST", 19, 100);
        assertEquals(List.of(), unlicensedAlerts());

        payUnder("PI-GHOST", 20, 100);

        List<FundFlowAlert> alerts = unlicensedAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("PI-GHOST", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertNull(a.getPlatformId(), "no registered platform");
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(20d, a.getMetrics().get("unlicensedPayments"));
        assertEquals(0d, a.getMetrics().get("registered"));
        assertTrue(a.getSummary().contains("not registered"), a.getSummary());
    }

    @Test
    void shouldAlertOnAmountAlone() {
        // One ¥60,000 payment: over the ¥50,000 a day.
        payUnder("PI-GHOST", 1, 60_000);

        assertEquals(6_000_000d, unlicensedAlerts().get(0).getMetrics().get("unlicensedAmountMinor"));
    }

    @Test
    void shouldAlertOnAnIdRegisteredAsAnotherKindOfPlatformAndSaySo() {
        // A P2P lender carrying payments has no payment licence: bad input answered as D3e, naming what it is.
        payUnder("P-17", 20, 100);

        FundFlowAlert a = unlicensedAlerts().get(0);
        assertEquals("P-17", a.getPlatformId());
        assertEquals("110000", a.getRegionCode());
        assertEquals(1d, a.getMetrics().get("registered"));
        assertTrue(a.getSummary().contains("registered as a P2P_LENDING platform, not a payment institution"),
                a.getSummary());
    }

    @Test
    void shouldAlertOnAnUnlicensedOrExitedInstitution() {
        fx.register(Platform.newBuilder(institution("PI-NOLIC")).setLicensed(false).build());
        fx.register(Platform.newBuilder(institution("PI-GONE")).setStatus(PlatformStatus.EXITED).build());
        payUnder("PI-NOLIC", 20, 100);
        payUnder("PI-GONE", 20, 100);

        List<String> subjects = unlicensedAlerts().stream().map(FundFlowAlert::getSubjectId).sorted().toList();
        assertEquals(List.of("PI-GONE", "PI-NOLIC"), subjects);
    }

    @Test
    void shouldStayQuietForALicensedInstitutionAndOneMisKeyedRecord() {
        // The licensed institution's busy day, and one ¥500 record under a typo of its id.
        payUnder("PI-OK", 50, 10_000);
        payUnder("PI-0K", 1, 500);

        assertEquals(List.of(), unlicensedAlerts());
    }
}
