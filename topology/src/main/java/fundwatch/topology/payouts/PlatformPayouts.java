package fundwatch.topology.payouts;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.WindowState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the D5 detectors keep per platform: one bucket per Beijing day (a 30-day window is the sum of 30
 * buckets), the last day already evaluated, and the open alert episode per detector so a finding that stays
 * true keeps one alertId.
 */
public final class PlatformPayouts {

    /** Sums of one day, and its largest pieces of evidence for each detector. */
    public static final class Day {
        public long interestToLenders;
        public long principalToLenders;
        public long repaidByBorrowers;
        public long newDeposits;
        public long subsidies;
        /** Payouts to lenders from a RISK_RESERVE or GUARANTOR account ({@link PayoutKind}). */
        public long coveredByReserve;
        /** Lender money moved into a RISK_RESERVE or GUARANTOR account. */
        public long lenderMoneyToReserve;
        public long lastEventTime;
        /** Set once the window ending with this day has been judged; the day takes no more movements. */
        public boolean evaluated;
        /** Payouts to lenders that no borrower funded (D5b evidence). */
        public List<EvidenceItem> unfunded = new ArrayList<>();
        /** Subsidy movements (D5a evidence). */
        public List<EvidenceItem> subsidy = new ArrayList<>();
    }

    /** Epoch day (Beijing) → that day's bucket. */
    public TreeMap<Long, Day> days = new TreeMap<>();
    /** The last day judged: movements of it or an earlier day are late (even of a day that had no bucket). */
    public long evaluatedThrough = Long.MIN_VALUE;

    boolean isEvaluated(long day) {
        return day <= evaluatedThrough;
    }

    /** detector → {windowStart, windowEnd, highest severity ordinal so far} of its open episode. */
    public Map<String, long[]> episodes = new HashMap<>();

    static List<EvidenceItem> keepLargest(List<EvidenceItem> list, EvidenceItem item) {
        List<EvidenceItem> out = new ArrayList<>(list);
        if (out.stream().noneMatch(e -> e.eventId().equals(item.eventId()))) {
            out.add(item);
        }
        out.sort(EvidenceItem.LARGEST_FIRST);
        return out.size() > WindowState.MAX_EVIDENCE ? new ArrayList<>(out.subList(0, WindowState.MAX_EVIDENCE)) : out;
    }

    /** Sums over the days {@code [from, to]}. */
    Totals totals(long from, long to) {
        Totals t = new Totals();
        for (Day d : days.subMap(from, true, to, true).values()) {
            t.interestToLenders += d.interestToLenders;
            t.principalToLenders += d.principalToLenders;
            t.repaidByBorrowers += d.repaidByBorrowers;
            t.newDeposits += d.newDeposits;
            t.subsidies += d.subsidies;
            t.coveredByReserve += d.coveredByReserve;
            t.lenderMoneyToReserve += d.lenderMoneyToReserve;
            t.lastEventTime = Math.max(t.lastEventTime, d.lastEventTime);
            d.unfunded.forEach(e -> t.unfunded = keepLargest(t.unfunded, e));
            d.subsidy.forEach(e -> t.subsidy = keepLargest(t.subsidy, e));
        }
        t.firstDay = days.subMap(from, true, to, true).isEmpty() ? from : days.ceilingKey(from);
        return t;
    }

    /** A window's sums; {@code firstDay} is the first day in it with any movement. */
    static final class Totals {
        long interestToLenders;
        long principalToLenders;
        long repaidByBorrowers;
        long newDeposits;
        long subsidies;
        long coveredByReserve;
        long lenderMoneyToReserve;
        long lastEventTime;
        long firstDay;
        List<EvidenceItem> unfunded = new ArrayList<>();
        List<EvidenceItem> subsidy = new ArrayList<>();

        long paidToLenders() {
            return interestToLenders + principalToLenders;
        }

        /** Reserve and guarantee payouts funded by something other than lenders' money moved into the reserve. */
        long coveredByOwnReserve() {
            return Math.max(0, coveredByReserve - lenderMoneyToReserve);
        }
    }

}
