package fundwatch.topology.abnormalyield;

/**
 * When a product's declared yield is checked: at its registration, and at the first money that flows into it
 * (an INVEST naming it), which may come long after a rate change.
 */
public record YieldCheck(String productId, Trigger trigger, long eventTime, String eventId, long amountMinor,
        String counterpartyId, ProductTerms terms) {

    public enum Trigger { REGISTRATION, INVESTMENT }
}
