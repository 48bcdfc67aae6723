package fundwatch.topology.payouts;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import java.util.EnumSet;
import java.util.Set;

/**
 * How D5 reads one custody movement. The custody ledger names the type of each movement and the role of both
 * sides, so "who paid the lenders" is visible without any product bookkeeping:
 * <ul>
 * <li><b>paid to lenders</b>: REPAY_INTEREST and REPAY_PRINCIPAL credited to a LENDER account, whoever is
 * debited — a borrower sub-account (an honest repayment), or PLATFORM_OWN, RISK_RESERVE, GUARANTOR or another
 * LENDER (money that did not come from the borrower);</li>
 * <li><b>repaid by borrowers</b>: REPAY_INTEREST and REPAY_PRINCIPAL debited from a BORROWER account, whoever is
 * credited (a borrower repaying into the platform's own account, which then pays the lenders, is still a
 * repayment);</li>
 * <li><b>new deposits</b>: DEPOSIT credited to a LENDER account — fresh money from outside;</li>
 * <li><b>subsidy</b>: SUBSIDY credited to a LENDER account (bonus, coupon, interest top-up);</li>
 * <li><b>covered by a reserve</b>: the part of "paid to lenders" debited from RISK_RESERVE or GUARANTOR — a reserve or
 * a guarantee company paying after a borrower's default spends its own money, not new lenders' (D5b asks whether
 * new deposits cover the gap) — less <b>lender money into a reserve</b>: any movement from a LENDER account into a
 * RISK_RESERVE or GUARANTOR account, so that new money routed through the reserve still counts as new money.</li>
 * </ul>
 * An honest repayment (BORROWER → LENDER) is both paid and repaid, so it can never open a gap. TRANSFERs are
 * neither: they are D1a's concern when they move lender money, and a payout dressed as a TRANSFER is not a
 * repayment in the custodian's own terms.
 */
enum PayoutKind {
    INTEREST_TO_LENDER, PRINCIPAL_TO_LENDER, BORROWER_REPAID, NEW_DEPOSIT, SUBSIDY, COVERED_BY_RESERVE,
    LENDER_MONEY_TO_RESERVE;

    private static final Set<AccountRole> RESERVES = EnumSet.of(AccountRole.RISK_RESERVE, AccountRole.GUARANTOR);

    private static final Set<TxType> REPAY = EnumSet.of(TxType.REPAY_INTEREST, TxType.REPAY_PRINCIPAL);

    /** Every way {@code tx} counts; empty for movements D5 ignores. A borrower → lender repayment is two. */
    static Set<PayoutKind> of(CustodyTransaction tx) {
        Set<PayoutKind> kinds = EnumSet.noneOf(PayoutKind.class);
        boolean toLender = tx.getCreditRole() == AccountRole.LENDER;
        if (REPAY.contains(tx.getType())) {
            if (toLender) {
                kinds.add(tx.getType() == TxType.REPAY_INTEREST ? INTEREST_TO_LENDER : PRINCIPAL_TO_LENDER);
                if (RESERVES.contains(tx.getDebitRole())) {
                    kinds.add(COVERED_BY_RESERVE);
                }
            }
            if (tx.getDebitRole() == AccountRole.BORROWER) {
                kinds.add(BORROWER_REPAID);
            }
        } else if (tx.getType() == TxType.DEPOSIT && toLender) {
            kinds.add(NEW_DEPOSIT);
        } else if (tx.getType() == TxType.SUBSIDY && toLender) {
            kinds.add(SUBSIDY);
        }
        if (tx.getDebitRole() == AccountRole.LENDER && RESERVES.contains(tx.getCreditRole())) {
            kinds.add(LENDER_MONEY_TO_RESERVE);
        }
        return kinds;
    }
}
