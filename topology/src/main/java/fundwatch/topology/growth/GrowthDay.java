package fundwatch.topology.growth;

import fundwatch.topology.alert.EvidenceItem;
import java.util.ArrayList;
import java.util.List;

/**
 * One Beijing day of one platform's series (D6), kept under {@link GrowthKeys#day}. Balances are kept as the
 * day's changes, not levels, so a movement arriving late within the grace period lands in its own day and every
 * later level is still right: a level is the platform's base plus the changes up to that day.
 */
public final class GrowthDay {
    /** DEPOSIT credited to a lender plus INVEST debited from a lender. */
    public long inflowMinor;
    /** Lender parties fundwatch saw on this platform for the first time (within the lender memory). */
    public long newLenders;
    /** Principal lenders invested minus principal returned to them, this day. */
    public long outstandingChangeMinor;
    /** Lenders whose monitored position turned positive minus those whose position closed, this day. */
    public long positiveLendersChange;
    public long lastEventTime;
    /** The day's largest inflow movements (at most {@link #EVIDENCE_PER_DAY}). */
    public List<EvidenceItem> evidence = new ArrayList<>();

    static final int EVIDENCE_PER_DAY = 10;
}
