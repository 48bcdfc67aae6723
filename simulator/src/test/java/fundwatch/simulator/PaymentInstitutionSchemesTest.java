package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The payment institutions of a default three-day market: honest near misses and the three D3c–D3e schemes. */
class PaymentInstitutionSchemesTest {
    private static final MarketSimulator SIM = new MarketSimulator(MarketConfig.builder().simulatedDays(3).build());
    private static final Map<String, AccountRegistration> ACCOUNTS = MarketFixtures.accounts(SIM.registry());
    private static final List<ClearingPayment> PAYMENTS = MarketFixtures.dedupe(
            MarketFixtures.clearing(MarketFixtures.all(SIM.events())), ClearingPayment::getPaymentId);
    private static final Set<String> LICENSED_HOUSES = Set.of("NUCC", "CUP");

    private static String subject(Scheme scheme) {
        return SIM.truth().stream().filter(t -> t.scheme().equals(scheme.name())).findFirst().orElseThrow().subjectId();
    }

    private static boolean crossBankUnlicensed(ClearingPayment p) {
        return !p.getPayerBankId().equals(p.getPayeeBankId()) && !LICENSED_HOUSES.contains(p.getClearingHouse());
    }

    private static long beijingDay(ClearingPayment p) {
        return Diurnal.beijingDay(p.getEventTime().toEpochMilli());
    }

    private static AccountPurpose purpose(String account) {
        AccountRegistration a = ACCOUNTS.get(account);
        return a == null ? null : a.getPurpose();
    }

    @Test
    void shouldClearHonestCrossBankPaymentsThroughNuccOrCupAndTheBypassersItself() {
        String bypasser = subject(Scheme.CLEARING_BYPASS);
        Map<Long, Integer> bypassedPerDay = new HashMap<>();
        for (ClearingPayment p : PAYMENTS) {
            String inst = p.getPaymentInstitutionId();
            if (inst == null || !crossBankUnlicensed(p)) {
                continue;
            }
            assertEquals(bypasser, inst, p.toString());
            bypassedPerDay.merge(beijingDay(p), 1, Integer::sum);
        }
        // Each night's settlements, several shops, every day of the span
        assertEquals(3, bypassedPerDay.size(), bypassedPerDay.toString());
    }

    @Test
    void shouldDrawHonestFeesAtMostAtTheAllowanceAndMoveReserveMoneyOnlyToReservesShopsAndCustomers() {
        String misuser = subject(Scheme.PAYMENT_RESERVE_MISUSE);
        Map<String, Long> toOthers = new HashMap<>();
        Map<String, Long> toOwn = new HashMap<>();
        boolean affiliateLoan = false;
        for (ClearingPayment p : PAYMENTS) {
            AccountRegistration payer = ACCOUNTS.get(p.getPayerAccountId());
            if (payer == null || payer.getPurpose() != AccountPurpose.PAYMENT_RESERVE) {
                continue;
            }
            String key = payer.getPlatformId() + "|" + beijingDay(p);
            AccountRegistration payee = ACCOUNTS.get(p.getPayeeAccountId());
            if (payee == null) {
                toOthers.merge(key, p.getAmountMinor(), Long::sum);
            } else if (payee.getPurpose() == AccountPurpose.PLATFORM_GENERAL && payee.getPlatformId().equals(payer.getPlatformId())) {
                toOwn.merge(key, p.getAmountMinor(), Long::sum);
            } else if (payee.getPurpose() != AccountPurpose.PAYMENT_RESERVE) {
                // Only the misusing institution pays its affiliate or another platform from a reserve
                assertEquals(misuser, payer.getPlatformId(), p.toString());
                affiliateLoan |= payee.getPurpose() == AccountPurpose.RELATED_PARTY;
            }
        }
        assertTrue(affiliateLoan, "the misuser lends reserve money to its affiliate");
        assertFalse(toOwn.isEmpty());
        toOwn.forEach((key, own) -> assertTrue(own * 100 <= toOthers.getOrDefault(key, 0L), key + ": " + own));
    }

    @Test
    void shouldCarryTwentyOrMorePaymentsADayUnderTheUnregisteredIdWithinOneBank() {
        String ghost = subject(Scheme.UNLICENSED_PAYMENT);
        assertFalse(SIM.registry().stream().anyMatch(e -> e.key().equals(ghost)), "unregistered");
        Map<Long, Integer> perDay = new HashMap<>();
        for (ClearingPayment p : PAYMENTS) {
            if (ghost.equals(p.getPaymentInstitutionId())) {
                assertEquals(p.getPayerBankId(), p.getPayeeBankId(), "no clearing across banks: " + p);
                perDay.merge(beijingDay(p), 1, Integer::sum);
            }
        }
        assertEquals(3, perDay.size());
        perDay.values().forEach(n -> assertTrue(n >= 20, perDay.toString()));
        assertTrue(purpose(ghost) == null);
    }

    @Test
    void shouldClearHonestlyBeforeTheBypassOnset() {
        // The bypass starts a day in: before it, every cross-bank payment of the institution clears through NUCC/CUP.
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().simulatedDays(3).noSchemes()
                .scheme(Scheme.CLEARING_BYPASS, java.time.Duration.ofDays(1)).build());
        long onset = sim.config().start().plus(java.time.Duration.ofDays(1)).toEpochMilli();
        List<ClearingPayment> payments = MarketFixtures.clearing(MarketFixtures.all(sim.events())).stream()
                .filter(p -> p.getPaymentInstitutionId() != null).toList();

        assertTrue(payments.stream().filter(PaymentInstitutionSchemesTest::crossBankUnlicensed)
                .allMatch(p -> p.getEventTime().toEpochMilli() >= onset));
        assertTrue(payments.stream().anyMatch(PaymentInstitutionSchemesTest::crossBankUnlicensed));
    }
}
