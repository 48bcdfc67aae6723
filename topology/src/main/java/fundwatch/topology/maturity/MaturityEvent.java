package fundwatch.topology.maturity;

import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;

/**
 * A product registration or an investment into a product, on the way to the product's owner task.
 *
 * @param terms the product's terms (registrations only)
 */
public record MaturityEvent(String productId, Kind kind, long eventTime, String eventId, long amountMinor,
        String counterpartyId, Terms terms) {

    public enum Kind { REGISTRATION, INVESTMENT }

    /** What D2 needs of a Product. */
    public record Terms(String productId, String platformId, ProductKind kind, int termDays,
            Integer underlyingTermDays, String borrowerPartyId, long issuedAt, long targetAmountMinor) {

        public static Terms of(Product p) {
            return new Terms(p.getProductId(), p.getPlatformId(), p.getKind(), p.getTermDays(),
                    p.getUnderlyingTermDays(), p.getBorrowerPartyId(), p.getIssuedAt().toEpochMilli(),
                    p.getTargetAmountMinor());
        }

        /** Short money funding long loans: the product ends before the loans behind it do. */
        public boolean shorterThanItsLoans() {
            return underlyingTermDays != null && termDays < underlyingTermDays;
        }
    }
}
