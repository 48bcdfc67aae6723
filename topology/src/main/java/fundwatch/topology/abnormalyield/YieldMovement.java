package fundwatch.topology.abnormalyield;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;

/**
 * A custody movement that D4b (realised yield) accounts for, keyed by product: a lender's INVEST into it, or
 * principal or interest credited back to a lender under its productId.
 *
 * @param lenderAccountId the lender sub-account: debited by the INVEST, credited by the repayment
 */
public record YieldMovement(Kind kind, String productId, String platformId, String lenderAccountId,
        long amountMinor, long eventTime, String eventId) {

    /** PROGRESS: any other custody movement of the platform; it only tells how far the custody ledger has come. */
    public enum Kind { INVEST, PRINCIPAL, INTEREST, PROGRESS }

    static YieldMovement progress(CustodyTransaction tx) {
        return new YieldMovement(Kind.PROGRESS, null, tx.getPlatformId(), null, 0, tx.getEventTime().toEpochMilli(),
                tx.getEventId());
    }

    static boolean relevant(CustodyTransaction tx) {
        if (tx.getProductId() == null) {
            return false;
        }
        return switch (tx.getType()) {
            case INVEST -> tx.getDebitRole() == AccountRole.LENDER;
            case REPAY_INTEREST, REPAY_PRINCIPAL -> tx.getCreditRole() == AccountRole.LENDER;
            default -> false;
        };
    }

    static YieldMovement of(CustodyTransaction tx) {
        Kind kind = tx.getType() == TxType.INVEST ? Kind.INVEST
                : tx.getType() == TxType.REPAY_INTEREST ? Kind.INTEREST : Kind.PRINCIPAL;
        String lender = kind == Kind.INVEST ? tx.getDebitAccountId() : tx.getCreditAccountId();
        return new YieldMovement(kind, tx.getProductId(), tx.getPlatformId(), lender, tx.getAmountMinor(),
                tx.getEventTime().toEpochMilli(), tx.getEventId());
    }
}
