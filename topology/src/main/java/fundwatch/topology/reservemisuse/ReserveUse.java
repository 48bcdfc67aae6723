package fundwatch.topology.reservemisuse;

/** Where money leaving a payment reserve went, as D3c tells it apart. */
enum ReserveUse {
    /** Merchants, customers, anyone outside the institution: the reserve's job. */
    OTHERS,
    /** Another reserve account (any institution's): client money stays in a reserve. */
    RESERVE_MOVE,
    /** The institution's own registered accounts, or accounts of the party that holds them: fee income, up to the allowance. */
    OWN,
    /** A RELATED_PARTY account of the institution, or an account of a party holding one: lending to insiders. */
    AFFILIATE,
    /** Another platform's registered account: client money put into loans or wealth products. */
    OTHER_PLATFORM
}
