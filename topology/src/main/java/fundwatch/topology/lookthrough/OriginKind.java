package fundwatch.topology.lookthrough;

/** Where traced money came from (DETECTION.md D8). */
public enum OriginKind {
    /** A loan disbursement: the custody master's payment to the borrower's outside account. */
    LOAN,
    /** Any other payment out of a platform's custody master, general or own/reserve sub-account. */
    PLATFORM_FUNDS
}
