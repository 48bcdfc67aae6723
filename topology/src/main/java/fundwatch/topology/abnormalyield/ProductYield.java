package fundwatch.topology.abnormalyield;

import fundwatch.topology.alert.EvidenceItem;
import java.util.ArrayList;
import java.util.List;

/** What D4b keeps per product: the sums behind its realised yield, its largest interest payments, its window. */
public final class ProductYield {
    public String productId;
    public String platformId;
    /** Σ INVEST seen, Σ of that still outstanding. */
    public long monitoredPrincipalMinor;
    public long outstandingMinor;
    /** Interest paid on monitored principal, and Σ over its lenders of exposure up to their last interest. */
    public long interestMinor;
    public double exposureFenDays;
    /** Interest to lenders whose investment fundwatch never saw (money in before monitoring began). */
    public long unmonitoredInterestMinor;
    /**
     * Money went into the product before monitoring began: a lender was paid interest or principal on principal
     * fundwatch never saw invested (or more principal back than it saw go in). Such a lender may also invest
     * after monitoring began, and their interest on old and new principal together cannot be split, so the
     * product has no realised yield (DETECTION.md D4b: only principal fundwatch has seen invested counts).
     */
    public boolean seasoned;
    public long firstInvestTime = Long.MAX_VALUE;
    public long lastEventTime;
    public List<EvidenceItem> evidence = new ArrayList<>();
    /** The open alert window, or 0/0 before the product first exceeded the ceiling. */
    public long windowStart;
    public long windowEnd;

    /**
     * Annualised realised yield in basis points, or NaN while no monitored principal has earned interest or when
     * the product is {@link #seasoned}.
     */
    double realisedBps() {
        if (seasoned || interestMinor <= 0 || exposureFenDays <= 0) {
            return Double.NaN;
        }
        return interestMinor / (exposureFenDays / 365d) * 10_000d;
    }
}
