package fundwatch.topology.borrowingcap;

/**
 * What D7 needs from one custody movement or clearing payment, keyed by the borrower party on its repartition
 * topic. {@code kind}: LEND (INVEST credited to a BORROWER account), REPAY (REPAY_PRINCIPAL debited from a
 * BORROWER account) or TYPE (a clearing payment that names the party's type).
 */
public record BorrowingMove(String kind, String partyId, String platformId, long amountMinor, String eventId,
        long eventTime, String partyType) {
    static final String LEND = "LEND";
    static final String REPAY = "REPAY";
    static final String TYPE = "TYPE";
    /** LOAN_DISBURSEMENT debited from the party's BORROWER account: starts the hold of an untyped verdict. */
    static final String DISBURSED = "DISBURSED";
}
