package fundwatch.topology.fundpooling;

import fundwatch.topology.alert.EvidenceItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * What the hub detector keeps per account: daily in/out totals (a sliding window of N days is the sum of N
 * daily buckets), its payers and payees ({@link CounterpartySide}, bounded), the largest legs as evidence, and
 * the alert episode per detector so a finding that stays true keeps one alertId.
 */
public final class AccountFlows {
    static final int KEPT_EVIDENCE = 40;

    /** Amounts of one (Beijing) day. */
    public static final class DayTotals {
        public long in;
        public long out;
        public long individualIn;
    }

    public TreeMap<Long, DayTotals> days = new TreeMap<>();
    public CounterpartySide payers = new CounterpartySide();
    public CounterpartySide payees = new CounterpartySide();
    public List<EvidenceItem> evidence = new ArrayList<>();
    /** detector → {windowStart, windowEnd, highest severity ordinal so far} of its open alert episode. */
    public Map<String, long[]> episodes = new HashMap<>();
    public long lastEventTime;

    void add(HubLeg leg, long day, int cap, LongUnaryOperator dayOf, String topic) {
        DayTotals totals = days.computeIfAbsent(day, d -> new DayTotals());
        long hash = HyperLogLog.hash(leg.counterpartyId());
        if (leg.direction() == HubLeg.Direction.IN) {
            totals.in = Math.addExact(totals.in, leg.amountMinor());
            if (leg.individualCounterparty()) {
                totals.individualIn = Math.addExact(totals.individualIn, leg.amountMinor());
            }
            payers.record(hash, leg.individualCounterparty(), leg.eventTime(), day, cap, dayOf);
        } else {
            totals.out = Math.addExact(totals.out, leg.amountMinor());
            payees.record(hash, leg.individualCounterparty(), leg.eventTime(), day, cap, dayOf);
        }
        EvidenceItem item = new EvidenceItem(topic, leg.paymentId() + (leg.direction() == HubLeg.Direction.IN
                ? "" : "#out"), leg.amountMinor(), leg.eventTime(), leg.counterpartyId());
        evidence.add(item);
        evidence.sort(EvidenceItem.LARGEST_FIRST);
        if (evidence.size() > KEPT_EVIDENCE) {
            evidence = new ArrayList<>(evidence.subList(0, KEPT_EVIDENCE));
        }
        lastEventTime = Math.max(lastEventTime, leg.eventTime());
    }

    void prune(long horizonTime, long horizonDay) {
        days.headMap(horizonDay).clear();
        payers.prune(horizonTime, horizonDay);
        payees.prune(horizonTime, horizonDay);
        evidence.removeIf(e -> e.eventTime() < horizonTime);
    }

    long sumIn(long fromDay, long toDay) {
        return days.subMap(fromDay, true, toDay, true).values().stream().mapToLong(t -> t.in).sum();
    }

    long sumOut(long fromDay, long toDay) {
        return days.subMap(fromDay, true, toDay, true).values().stream().mapToLong(t -> t.out).sum();
    }

    long sumIndividualIn(long fromDay, long toDay) {
        return days.subMap(fromDay, true, toDay, true).values().stream().mapToLong(t -> t.individualIn).sum();
    }

    List<EvidenceItem> evidenceSince(long fromTime) {
        return evidence.stream().filter(e -> e.eventTime() >= fromTime).limit(20).toList();
    }
}
