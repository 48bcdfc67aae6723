package fundwatch.topology.borrowingcap;

import fundwatch.topology.alert.EvidenceItem;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One borrower party across all platforms: its type as seen in clearing, and per platform what it owes. */
public final class BorrowerState {
    /** INDIVIDUAL or CORPORATE once a clearing payment named it; null while unknown. */
    public String partyType;
    /** While an untyped party owes more than an individual cap: when its hold started (a disbursement, or later). */
    public Long untypedBreachSince;
    /** The hold passed with no type: the individual caps apply until a payment names the party's type. */
    public boolean individualByDefault;
    /** Event time of the latest disbursement of the party's loans while it was untyped; null before one. */
    public Long disbursedAt;
    /** platformId → outstanding principal fundwatch saw lent (never below zero). */
    public TreeMap<String, Long> outstanding = new TreeMap<>();
    /** platformId → its largest loans (INVESTs into the borrower), at most 20. */
    public TreeMap<String, List<EvidenceItem>> loans = new TreeMap<>();
    /** platformId → event time of the newest movement. */
    public TreeMap<String, Long> lastEventTime = new TreeMap<>();
    /** platformId, or {@link BorrowingCapDetector#ALL_PLATFORMS} → start of the open breach episode. */
    public TreeMap<String, Long> breachSince = new TreeMap<>();
    /**
     * platformId → event time of the loan that took what the party owes there over the individual (resp. corporate)
     * per-platform cap, while it stays over. Kept whatever the party's type, so that a breach found only when the
     * type arrives from the clearing side starts where the loans put it, not where the type happened to arrive:
     * that moment depends on how the two inputs were interleaved (a backlog against a live feed).
     */
    public TreeMap<String, Long> overIndividualCapSince = new TreeMap<>();
    public TreeMap<String, Long> overCorporateCapSince = new TreeMap<>();
    /** platformId → event time of the loan that opened the current holding (the balance was zero before it). */
    public TreeMap<String, Long> holdingSince = new TreeMap<>();

    long total() {
        return outstanding.values().stream().mapToLong(Long::longValue).sum();
    }

    List<EvidenceItem> allLoans() {
        List<EvidenceItem> all = new ArrayList<>();
        loans.values().forEach(all::addAll);
        return all;
    }
}
