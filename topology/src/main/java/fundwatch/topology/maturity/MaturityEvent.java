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

        /**
         * D2's two clauses: a WEALTH_PLAN shorter than its loans, or any other (closed-end) product that is both
         * shorter than its loans and under the closed-end floor of 资管新规 art. 15. A loan project is the loan
         * itself; only when it claims longer loans behind a term under the floor is it a short product in disguise.
         */
        public boolean mismatched(double closedEndMinTermDays) {
            return shorterThanItsLoans() && (kind == ProductKind.WEALTH_PLAN || termDays < closedEndMinTermDays);
        }
    }
}
