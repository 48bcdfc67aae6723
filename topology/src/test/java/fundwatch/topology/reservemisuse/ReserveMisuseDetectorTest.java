package fundwatch.topology.reservemisuse;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.platformOfKind;
import static fundwatch.topology.support.Fixtures.rule;
import static fundwatch.topology.support.InstitutionFixtures.fromReserve;
import static fundwatch.topology.support.InstitutionFixtures.heldBy;
import static fundwatch.topology.support.InstitutionFixtures.institution;
import static fundwatch.topology.support.InstitutionFixtures.reserve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.support.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReserveMisuseDetectorTest {
    /** 08:00 Beijing on 2026-11-28: the day runs to 2026-11-28T16:00Z, and closes 3 days (the grace) later. */
    private static final Instant MORNING = T0.minus(Duration.ofHours(2));
    private static final Instant AFTER_CLOSE = Instant.parse("2026-12-01T16:30:00Z");
    private TopologyFixture fx;

    @BeforeEach
    void givenAPaymentInstitutionWithTwoReservesItsOwnAccountsAndAnAssetManager() {
        fx = new TopologyFixture();
        fx.register(institution("PI-1"),
                reserve("RSV-A", "PI-1", "BANK-2"),
                reserve("RSV-B", "PI-1", "BANK-3"),
                account("GEN-PI", "PI-1", AccountPurpose.PLATFORM_GENERAL),
                heldBy(account("REL-PI", "PI-1", AccountPurpose.RELATED_PARTY), "pty-affiliate"));
        fx.register(platformOfKind("AM-9", PlatformKind.ASSET_MANAGEMENT),
                account("GEN-9", "AM-9", AccountPurpose.PLATFORM_GENERAL));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<FundFlowAlert> misuseAlerts() {
        return fx.alerts().stream().filter(a -> a.getDetector().equals("PAYMENT_RESERVE_MISUSE")).toList();
    }

    /** A settlement the next day, past the grace: stream time moves on and the day before closes. */
    private void closeTheDay() {
        fx.driver.advanceWallClockTime(Duration.ofDays(5)); // so the next payment is not "in the future"
        fx.pay(fromReserve("PAY-NEXT", "RSV-A", "SHOP-NEXT", "pty-shop-next", 100, AFTER_CLOSE));
    }

    @Test
    void shouldAlertAtOnceWhenReserveMoneyIsLentToARegisteredAffiliate() {
        // ¥150,000 from the client reserve to the affiliate's registered account: no allowance covers an insider.
        fx.pay(fromReserve("PAY-1", "RSV-A", "REL-PI", "pty-affiliate", 150_000, T0));

        List<FundFlowAlert> alerts = misuseAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("PI-1", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        assertEquals("PI-1", a.getPlatformId());
        assertEquals(Severity.HIGH, a.getSeverity());
        assertEquals(15_000_000d, a.getMetrics().get("affiliateAmountMinor"));
        assertEquals(15_000_000d, a.getMetrics().get("misuseAmountMinor"));
        assertEquals(10_000_000d, a.getThresholds().get("minMisuseAmountMinor"));
        assertEquals("PAY-1", a.getEvidence().get(0).getEventId());
        assertTrue(a.getSummary().contains("beyond the fee allowance"), a.getSummary());
    }

    @Test
    void shouldCountAnUnregisteredAccountOfAnInsiderAsTheAffiliates() {
        // The affiliate's party holds REL-PI; its other, unregistered account is still the affiliate's.
        fx.pay(fromReserve("PAY-1", "RSV-A", "ACC-X", "pty-affiliate", 200_000, T0));

        assertEquals(20_000_000d, misuseAlerts().get(0).getMetrics().get("affiliateAmountMinor"));
    }

    @Test
    void shouldAlertCriticalWhenReserveMoneyBuysAnotherPlatformsWealthProduct() {
        // ¥1,200,000 into an asset manager's registered account: client money in a wealth product.
        fx.pay(fromReserve("PAY-1", "RSV-A", "GEN-9", "pty-holder-AM-9", 1_200_000, T0));

        FundFlowAlert a = misuseAlerts().get(0);
        assertEquals(Severity.CRITICAL, a.getSeverity());
        assertEquals(120_000_000d, a.getMetrics().get("otherPlatformAmountMinor"));
    }

    @Test
    void shouldStayQuietForLargeSettlementsRefundsAndMovesBetweenReserves() {
        // The reserve's job, however large: a ¥5,000,000 merchant settlement, a refund, ¥3,000,000 to its other reserve.
        fx.pay(fromReserve("PAY-1", "RSV-A", "SHOP-1", "pty-shop-1", 5_000_000, T0));
        fx.pay(fromReserve("PAY-2", "RSV-A", "CARD-C", "pty-customer", 800, T0.plusSeconds(60)));
        fx.pay(fromReserve("PAY-3", "RSV-A", "RSV-B", "pty-holder-PI-1", 3_000_000, T0.plusSeconds(120)));
        closeTheDay();

        assertEquals(List.of(), misuseAlerts());
    }

    @Test
    void shouldAllowAnEarlyFeeDrawUpToTheDaysAllowanceOnceTheDayIsOver() {
        // 08:00: ¥200,000 of fees to its own account, before any settlement — then ¥20,000,000 settled that day,
        // so the draw is exactly 1 %: within the allowance, judged only once the day is over.
        fx.pay(fromReserve("PAY-FEE", "RSV-A", "GEN-PI", "pty-holder-PI-1", 200_000, MORNING));
        fx.pay(fromReserve("PAY-1", "RSV-A", "SHOP-1", "pty-shop-1", 12_000_000, T0));
        fx.pay(fromReserve("PAY-2", "RSV-B", "SHOP-2", "pty-shop-2", 8_000_000, T0.plusSeconds(60)));
        closeTheDay();

        assertEquals(List.of(), misuseAlerts());
    }

    @Test
    void shouldAlertWhenTheDayClosesOnOwnDrawsBeyondTheAllowance() {
        // ¥20,000,000 settled; ¥350,000 to its own account and, through an unregistered account its own company
        // holds, nothing more: ¥150,000 beyond the ¥200,000 allowance.
        fx.pay(fromReserve("PAY-1", "RSV-A", "SHOP-1", "pty-shop-1", 20_000_000, T0));
        fx.pay(fromReserve("PAY-FEE", "RSV-A", "GEN-PI", "pty-holder-PI-1", 250_000, T0.plusSeconds(60)));
        fx.pay(fromReserve("PAY-OWN", "RSV-B", "ACC-OWN", "pty-holder-PI-1", 100_000, T0.plusSeconds(120)));
        assertEquals(List.of(), misuseAlerts(), "own draws wait for the day's allowance");

        closeTheDay();

        List<FundFlowAlert> alerts = misuseAlerts();
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals(15_000_000d, a.getMetrics().get("ownExcessAmountMinor"));
        assertEquals(20_000_000d, a.getMetrics().get("feeAllowanceMinor"));
        assertEquals(35_000_000d, a.getMetrics().get("ownUseAmountMinor"));
        assertEquals(1d, a.getMetrics().get("dayClosed"));
        assertEquals(Instant.parse("2026-11-27T16:00:00Z"), a.getWindowStart());
    }

    @Test
    void shouldCountASettlementThatArrivesADayLateTowardsTheAllowance() {
        // A backlog replays the reserves' partitions apart: the fee draw arrives, then stream time runs a day ahead
        // on another institution's payments, and only then the settlement that earns the fee. Within the 3-day grace
        // it still counts, so the draw stays within the allowance.
        fx.driver.advanceWallClockTime(Duration.ofDays(3));
        fx.pay(fromReserve("PAY-FEE", "RSV-A", "GEN-PI", "pty-holder-PI-1", 200_000, T0));
        fx.register(institution("PI-2"), reserve("RSV-2", "PI-2", "BANK-2"));
        fx.pay(fromReserve("PAY-OTHER", "RSV-2", "SHOP-9", "pty-shop-9", 1_000, T0.plus(Duration.ofHours(24))));
        fx.pay(fromReserve("PAY-1", "RSV-B", "SHOP-1", "pty-shop-1", 20_000_000, T0.plusSeconds(60)));
        closeTheDay();

        assertEquals(List.of(), misuseAlerts());
        assertEquals(0d, fx.metrics.count("fundwatch.late.events", "detector", "PAYMENT_RESERVE_MISUSE"));
    }

    @Test
    void shouldStayQuietBelowTheThreshold() {
        // ¥99,999 to the affiliate: under the ¥100,000 floor.
        fx.pay(fromReserve("PAY-1", "RSV-A", "REL-PI", "pty-affiliate", 99_999, T0));
        closeTheDay();

        assertEquals(List.of(), misuseAlerts());
    }

    @Test
    void shouldUseTheRulesAllowanceShare() {
        // The regulator allows 2 %: ¥350,000 on ¥20,000,000 settled is within it.
        fx.rules.pipeInput("PAYMENT_RESERVE_MISUSE",
                rule("PAYMENT_RESERVE_MISUSE", true, "v2", Map.of("feeAllowanceShare", 0.02)), T0);
        fx.pay(fromReserve("PAY-1", "RSV-A", "SHOP-1", "pty-shop-1", 20_000_000, T0));
        fx.pay(fromReserve("PAY-FEE", "RSV-A", "GEN-PI", "pty-holder-PI-1", 350_000, T0.plusSeconds(60)));
        closeTheDay();

        assertEquals(List.of(), misuseAlerts());
    }

    @Test
    void shouldDeadLetterAReserveRegisteredToNoPlatformAndWatchTheAccountAsUnregistered() {
        // A "reserve" of nobody: neither D3c (no institution) nor the hub exemption may apply to it.
        fx.accounts.pipeInput("RSV-ORPHAN", reserve("RSV-ORPHAN", null, "BANK-2"), T0);
        fx.pay(fromReserve("PAY-1", "RSV-ORPHAN", "REL-PI", "pty-affiliate", 500_000, T0));

        var dead = fx.deadLetters();
        assertEquals(1, dead.size());
        assertEquals("reserve-without-platform", new String(dead.get(0).headers().lastHeader("fundwatch.error").value(),
                StandardCharsets.UTF_8).split(":")[0]);
        assertEquals(1d, fx.metrics.count("fundwatch.dead.letters", "topic", "registry.accounts", "reason",
                "reserve-without-platform"));
        // The payment out of it is no reserve outflow of any institution.
        assertEquals(List.of(), misuseAlerts());
    }
}
