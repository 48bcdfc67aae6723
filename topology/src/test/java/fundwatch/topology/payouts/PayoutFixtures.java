package fundwatch.topology.payouts;

import static fundwatch.topology.support.Fixtures.custody;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import java.time.Instant;

/** Custody movements around lender payouts, for the D5 tests. Amounts in yuan. */
final class PayoutFixtures {
    private PayoutFixtures() {
    }

    /** A lender tops up from their own card: new money. */
    static CustodyTransaction deposit(String id, String platformId, long yuan, Instant at) {
        return custody(id, platformId, TxType.DEPOSIT, yuan, at);
    }

    /** A repayment to a lender, debited from an account of the given role (BORROWER: an honest repayment). */
    static CustodyTransaction repay(String id, String platformId, TxType type, AccountRole payer, long yuan,
            Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, type, yuan, at))
                .setDebitAccountId(payer == AccountRole.BORROWER ? "SUB-BORROWER-1" : platformId + "-OWN")
                .setDebitRole(payer)
                .setCreditAccountId("SUB-LENDER-1").setCreditRole(AccountRole.LENDER)
                .setProductId("PR-1").build();
    }

    /** A borrower repays into the platform's own account (which then pays the lenders). */
    static CustodyTransaction repayToPlatform(String id, String platformId, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.REPAY_PRINCIPAL, yuan, at))
                .setDebitAccountId("SUB-BORROWER-1").setDebitRole(AccountRole.BORROWER)
                .setCreditAccountId(platformId + "-OWN").setCreditRole(AccountRole.PLATFORM_OWN)
                .setProductId("PR-1").build();
    }

    /** Bonus, coupon or interest top-up from the platform's own account to a lender. */
    static CustodyTransaction subsidy(String id, String platformId, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.SUBSIDY, yuan, at))
                .setDebitAccountId(platformId + "-OWN").setDebitRole(AccountRole.PLATFORM_OWN)
                .setCreditAccountId("SUB-LENDER-1").setCreditRole(AccountRole.LENDER).build();
    }

    /** Any movement of an unrelated platform: moves stream time on so earlier days close. */
    /** The platform's custody ledger moves on (a ¥0.01 withdrawal): what closes its earlier days. */
    static CustodyTransaction tick(String platformId, Instant at) {
        return custody("CT-TICK-" + platformId + "-" + at.toEpochMilli(), platformId, TxType.WITHDRAWAL, 1, at);
    }
}
