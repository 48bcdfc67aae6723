package fundwatch.simulator;

/** A person's lender sub-account on one platform, with the balance the custody ledger shows for it. */
final class Lender {
    final Party person;
    final String subAccountId;
    long balanceMinor;

    Lender(Party person, String subAccountId) {
        this.person = person;
        this.subAccountId = subAccountId;
    }
}
