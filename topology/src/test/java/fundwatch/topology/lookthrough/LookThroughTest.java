package fundwatch.topology.lookthrough;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** D8 look-through: tracing, D8a SELF_FINANCING and D8b CONCENTRATED_FINAL_USE through the real topology. */
class LookThroughTest {
    private TopologyFixture fx;

    @BeforeEach
    void start() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"), account("P1-CM", "P-1", AccountPurpose.CUSTODY_MASTER),
                account("P1-GEN", "P-1", AccountPurpose.PLATFORM_GENERAL),
                AccountRegistration.newBuilder(account("P1-RP", "P-1", AccountPurpose.RELATED_PARTY))
                        .setHolderPartyId("pty-exec-1").build());
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant at(double hours) {
        return T0.plus(Duration.ofMinutes(Math.round(hours * 60)));
    }

    /** A loan: the custody LOAN_DISBURSEMENT (borrower sub-account → outside) and the custody master's payment. */
    private static List<Object> loan(String borrowerAccount, long yuan, double hours) {
        CustodyTransaction tx = CustodyTransaction.newBuilder(custody("D-" + borrowerAccount, "P-1",
                        TxType.LOAN_DISBURSEMENT, yuan, at(hours)))
                .setDebitAccountId("SUB-" + borrowerAccount).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId("pty-" + borrowerAccount).setCreditAccountId(borrowerAccount)
                .setCreditRole(AccountRole.EXTERNAL).setCreditPartyId("pty-" + borrowerAccount).build();
        ClearingPayment p = payment("L-" + borrowerAccount, "P1-CM", PartyType.CORPORATE, borrowerAccount, yuan, hours + 0.1);
        return List.of(tx, p);
    }

    private void feed(List<Object> events) {
        for (Object e : events) {
            if (e instanceof CustodyTransaction tx) {
                fx.post(tx);
            } else {
                fx.pay((ClearingPayment) e);
            }
        }
    }

    private List<FundFlowAlert> alertsOf(String detector) {
        return fx.alerts().stream().filter(a -> a.getDetector().equals(detector)).toList();
    }

    /** The shell scheme: a ¥1,200,000 loan to a shell, on through an intermediary into the related party. */
    private static List<Object> shellScheme() {
        List<Object> events = new ArrayList<>(loan("SHELL-1", 1_200_000, 0));
        events.add(payment("X-1", "SHELL-1", PartyType.CORPORATE, "MID-1", 1_200_000, 5));
        events.add(payment("X-2", "MID-1", PartyType.CORPORATE, "P1-RP", 1_150_000, 20));
        return events;
    }

    /** Every path D8a holds, as "payment ids hop by hop", by final payment. */
    private TreeMap<String, List<String>> selfPaths() {
        TreeMap<String, List<String>> out = new TreeMap<>();
        KeyValueStore<String, TracedCredit> store = fx.driver.getKeyValueStore(LookThroughTopology.SELF_PATHS_STORE);
        try (KeyValueIterator<String, TracedCredit> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.value.paymentId() + "#" + kv.value.seq(),
                    kv.value.hops().stream().map(h -> h.paymentId() + ":" + h.tracedAmountMinor()).toList()));
        }
        return out;
    }

    @Test
    void shouldAlertSelfFinancingWhenAShellsLoanReachesTheRelatedPartyThroughAnIntermediary() {
        feed(shellScheme());

        List<FundFlowAlert> alerts = alertsOf("SELF_FINANCING");
        assertEquals(1, alerts.size());
        FundFlowAlert a = alerts.get(0);
        assertEquals("P-1", a.getSubjectId());
        assertEquals(SubjectType.PLATFORM, a.getSubjectType());
        // ¥1,150,000 of a ¥1,200,000 loan came back: 96 % of the disbursed loans, CRITICAL
        assertEquals(115_000_000d, a.getMetrics().get("tracedAmountMinor"));
        assertEquals(120_000_000d, a.getMetrics().get("disbursedMinor"));
        assertEquals(Severity.CRITICAL, a.getSeverity());
        assertEquals(3d, a.getMetrics().get("medianHopCount"));
        assertEquals(1, a.getEvidence().size());
        assertEquals("X-2", a.getEvidence().get(0).getEventId());
        assertEquals("P1-RP", a.getEvidence().get(0).getCounterpartyId());
        assertTrue(a.getSummary().contains("自融") && a.getSummary().contains("self-financing"), a.getSummary());
        assertEquals(List.of("L-SHELL-1:120000000", "X-1:120000000", "X-2:115000000"), selfPaths().get("X-2#0"));
    }

    /**
     * A backlog replay reads the input far ahead of the traced credits: the onward payments are processed before
     * the money that funds them. The same paths and the same alert must come out.
     */
    @Test
    void shouldFindTheSamePathsWhenTheOnwardPaymentsArriveBeforeTheTracedMoney() {
        feed(shellScheme());
        FundFlowAlert live = alertsOf("SELF_FINANCING").get(0);
        TreeMap<String, List<String>> livePaths = selfPaths();
        fx.close();

        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"), account("P1-CM", "P-1", AccountPurpose.CUSTODY_MASTER),
                AccountRegistration.newBuilder(account("P1-RP", "P-1", AccountPurpose.RELATED_PARTY))
                        .setHolderPartyId("pty-exec-1").build());
        List<Object> backlog = new ArrayList<>(shellScheme());
        java.util.Collections.reverse(backlog);
        // X-2 (MID-1 pays on), then X-1 (the shell pays MID-1), then the loan's payment and the custody record last
        feed(backlog);

        List<FundFlowAlert> replayed = alertsOf("SELF_FINANCING");
        assertEquals(1, replayed.size());
        FundFlowAlert r = replayed.get(0);
        assertEquals(live.getAlertId(), r.getAlertId());
        assertEquals(live.getMetrics(), r.getMetrics());
        assertEquals(live.getEvidence(), r.getEvidence());
        assertEquals(livePaths, selfPaths());
    }

    /**
     * A backlog replay reads the input days ahead of the traced credits travelling the loop topic: the payments out
     * that a late credit funds must not have been purged by stream time in the meantime.
     */
    @Test
    void shouldFindThePathWhenTheInputRanDaysAheadOfTheTracedMoney() {
        List<Object> scheme = shellScheme();
        // the shell's and the intermediary's onward payments first
        feed(List.of(scheme.get(2), scheme.get(3)));
        // then ten days of unrelated payments between outside accounts: stream time runs far past the horizon
        for (int i = 0; i < 240; i++) {
            fx.pay(payment("U-" + i, "SOMEONE-" + i, PartyType.INDIVIDUAL, "SOMEONE-ELSE", 100, 21 + i));
        }
        // and only then the loan itself
        feed(List.of(scheme.get(0), scheme.get(1)));

        assertEquals(1, alertsOf("SELF_FINANCING").size());
        assertEquals(List.of("L-SHELL-1:120000000", "X-1:120000000", "X-2:115000000"), selfPaths().get("X-2#0"));
    }

    /**
     * In a backlog the clearing side can run hours ahead of the custody ledger in the platform's task: the custody
     * master's payment must wait for the ledger, not for stream time, to learn it was a loan.
     */
    @Test
    void shouldStillKnowALoanWhenTheLedgerLagsFarBehindTheClearingSide() {
        List<Object> scheme = shellScheme();
        // the custody master's payment first
        feed(List.of(scheme.get(1)));
        // then a day of other clearing traffic of the platform (lender withdrawals), far past the 2-hour match window
        for (int i = 0; i < 24; i++) {
            fx.pay(payment("W-" + i, "P1-CM", PartyType.CORPORATE, "LENDER-CARD-" + i, 1_000, 1 + i));
        }
        // and only then the custody ledger's record of the loan, and the money's onward path
        feed(List.of(scheme.get(0), scheme.get(2), scheme.get(3)));

        List<FundFlowAlert> alerts = alertsOf("SELF_FINANCING");
        assertEquals(1, alerts.size());
        assertEquals(List.of("L-SHELL-1:120000000", "X-1:120000000", "X-2:115000000"), selfPaths().get("X-2#0"));
    }

    @Test
    void shouldAlertConcentratedFinalUseWhenTenBorrowersLoansConvergeOnOneCompany() {
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.addAll(loan("BOR-" + i, 100_000, i * 4));
            // each borrower passes ¥95,000 on to the same company account within two days
            events.add(payment("C-" + i, "BOR-" + i, PartyType.INDIVIDUAL, "CO-1", 95_000, i * 4 + 2));
        }
        feed(events);

        List<FundFlowAlert> alerts = alertsOf("CONCENTRATED_FINAL_USE");
        assertTrue(!alerts.isEmpty());
        FundFlowAlert a = alerts.get(alerts.size() - 1);
        assertEquals("CO-1", a.getSubjectId());
        assertEquals(SubjectType.ACCOUNT, a.getSubjectType());
        assertEquals("P-1", a.getPlatformId());
        assertEquals(1, alerts.stream().map(FundFlowAlert::getAlertId).distinct().count());
        assertTrue(a.getMetrics().get("distinctBorrowers") >= 6d);
        assertEquals(1.0, a.getMetrics().get("inflowShare"), 1e-9);
        assertTrue(alertsOf("SELF_FINANCING").isEmpty());
    }

    @Test
    void shouldStayQuietWhereBorrowersSpendAtABusyShop() {
        List<Object> events = new ArrayList<>();
        // 200 customers pay the shop ¥10,000 each: ¥2,000,000 of ordinary takings
        for (int i = 0; i < 200; i++) {
            events.add(payment("S-" + i, "CUST-" + i, PartyType.INDIVIDUAL, "SHOP-1", 10_000, i * 0.2));
        }
        // six borrowers spend ¥100,000 of their loans there: ¥600,000 from 6 borrowers, but 23 % of the inflow
        for (int i = 0; i < 6; i++) {
            events.addAll(loan("BUY-" + i, 100_000, 10 + i));
            events.add(payment("B-" + i, "BUY-" + i, PartyType.INDIVIDUAL, "SHOP-1", 100_000, 10 + i + 1));
        }
        feed(events);

        assertTrue(alertsOf("CONCENTRATED_FINAL_USE").isEmpty());
    }

    @Test
    void shouldStayQuietForSalariesFromOwnIncomeAndLoanMoneyThatArrivesAfterTheHorizon() {
        List<Object> events = new ArrayList<>();
        // a ¥2,000,000 salary and bonus from the general account to the executive's own account: platform funds, not loans
        events.add(payment("SAL-1", "P1-GEN", PartyType.CORPORATE, "EXEC-CARD", 2_000_000, 1));
        events.add(payment("SAL-2", "EXEC-CARD", PartyType.INDIVIDUAL, "P1-RP", 2_000_000, 2));
        // a ¥1,500,000 loan that sits 80 hours with the borrower before reaching the related party: past 72 h
        events.addAll(loan("SLOW-1", 1_500_000, 3));
        events.add(payment("SLOW-PAY", "SLOW-1", PartyType.CORPORATE, "P1-RP", 1_500_000, 3 + 80));
        feed(events);

        assertTrue(alertsOf("SELF_FINANCING").isEmpty());
        assertTrue(alertsOf("CONCENTRATED_FINAL_USE").isEmpty());
    }

    @Test
    void shouldFollowAtMostFourPaymentsAfterTheOrigin() {
        List<Object> events = new ArrayList<>(loan("LONG-0", 1_500_000, 0));
        // five payments after the origin before the related party: one too many
        for (int i = 0; i < 5; i++) {
            String to = i == 4 ? "P1-RP" : "LONG-" + (i + 1);
            events.add(payment("H-" + i, "LONG-" + i, PartyType.CORPORATE, to, 1_500_000, 1 + i));
        }
        feed(events);
        assertTrue(alertsOf("SELF_FINANCING").isEmpty());

        // four are still followed
        List<Object> four = new ArrayList<>(loan("FOUR-0", 1_500_000, 10));
        for (int i = 0; i < 4; i++) {
            String to = i == 3 ? "P1-RP" : "FOUR-" + (i + 1);
            four.add(payment("F-" + i, "FOUR-" + i, PartyType.CORPORATE, to, 1_500_000, 11 + i));
        }
        feed(four);
        assertEquals(5d, alertsOf("SELF_FINANCING").get(0).getMetrics().get("medianHopCount"));
    }

    private static ClearingPayment payment(String id, String payer, PartyType type, String payee, long yuan,
            double hours) {
        return fundwatch.topology.support.Fixtures.payment(id, payer, type, payee, yuan, at(hours));
    }
}
