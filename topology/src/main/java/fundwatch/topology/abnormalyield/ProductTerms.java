package fundwatch.topology.abnormalyield;

import fundwatch.avro.Product;

/** What a product promises, as carried with a registration check (the global store may not have it yet). */
public record ProductTerms(String productId, String platformId, int declaredAnnualYieldBps, int termDays,
        boolean guaranteedReturn, long targetAmountMinor, String borrowerPartyId, long issuedAt) {

    public static ProductTerms of(Product p) {
        return new ProductTerms(p.getProductId(), p.getPlatformId(), p.getDeclaredAnnualYieldBps(), p.getTermDays(),
                p.getGuaranteedReturn(), p.getTargetAmountMinor(), p.getBorrowerPartyId(), p.getIssuedAt().toEpochMilli());
    }
}
