package fundwatch.simulator;

import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A LOAN_PROJECT: one borrower, raised from lenders up to its target, then disbursed and repaid in
 * 30-day periods — interest each period, principal with the last one.
 */
final class LoanProduct {
    static final int PERIOD_DAYS = 30;

    /** One lender's share of the loan. */
    record Holding(Lender lender, long principalMinor) {
    }

    final String productId;
    final SimPlatform platform;
    final Party borrower;
    final String borrowerSubAccountId;
    /** Drawn by the world; a near miss may set another yield, term or kind before the span starts. */
    int yieldBps;
    int termDays;
    ProductKind kind = ProductKind.LOAN_PROJECT;
    /** The term of the loans behind a plan ({@code null} for a plain loan project). */
    Integer underlyingTermDays;
    final long targetMinor;
    final long issuedAt;
    final List<Holding> holdings = new ArrayList<>();
    long raisedMinor;
    long disbursedAt = -1;

    LoanProduct(String productId, SimPlatform platform, Party borrower, String borrowerSubAccountId,
                int yieldBps, int termDays, long targetMinor, long issuedAt) {
        this.productId = productId;
        this.platform = platform;
        this.borrower = borrower;
        this.borrowerSubAccountId = borrowerSubAccountId;
        this.yieldBps = yieldBps;
        this.termDays = termDays;
        this.targetMinor = targetMinor;
        this.issuedAt = issuedAt;
    }

    long remainingMinor() {
        return targetMinor - raisedMinor;
    }

    int periods() {
        return (termDays + PERIOD_DAYS - 1) / PERIOD_DAYS;
    }

    /** Days from disbursement to the due date of period {@code k} (1-based). */
    int dueDay(int k) {
        return Math.min(k * PERIOD_DAYS, termDays);
    }

    long dueTime(int k) {
        return disbursedAt + dueDay(k) * Rand.DAY;
    }

    /** Interest on one holding for period {@code k}: simple interest at the declared yield, rounded down. */
    long interestMinor(Holding h, int k) {
        long days = dueDay(k) - (long) (k - 1) * PERIOD_DAYS;
        return h.principalMinor() * yieldBps * days / (10_000L * 365L);
    }

    Product toRecord() {
        return Product.newBuilder()
                .setProductId(productId)
                .setPlatformId(platform.id)
                .setKind(kind)
                .setDeclaredAnnualYieldBps(yieldBps)
                .setTermDays(termDays)
                .setUnderlyingTermDays(underlyingTermDays)
                .setTargetAmountMinor(targetMinor)
                .setGuaranteedReturn(false)
                .setBorrowerPartyId(borrower.partyId())
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .build();
    }
}
