package fundwatch.simulator;

import java.util.List;

/**
 * A fraudulent scheme the simulator can plant in the market, with the detectors (DETECTION.md names)
 * that are expected to find it. Each scheme runs on its own platform, from its onset to the end of
 * the simulated span, and is written to the ground truth as one {@link TruthRecord}.
 */
public enum Scheme {
    /** D3a: individuals pay a P2P platform's PLATFORM_GENERAL account directly, outside custody. */
    CUSTODY_BYPASS(List.of("CUSTODY_BYPASS")),
    /**
     * D3b: the platform's custody ledger and the money disagree — top-ups reach its CUSTODY_MASTER
     * with no custody DEPOSIT, and custody WITHDRAWALs pay nobody out.
     */
    UNRECONCILED_FLOW(List.of("UNRECONCILED_FLOW")),
    /**
     * D4/D5: a Ponzi — products above the 4 × LPR ceiling, old lenders' interest and principal paid from the
     * platform's own account out of new deposits, and a welcome-bonus subsidy campaign ({@code PonziScheme}).
     */
    PONZI(List.of("ABNORMAL_YIELD", "NEW_MONEY_PAYS_OLD", "YIELD_SUBSIDY"));

    private final List<String> detectors;

    Scheme(List<String> detectors) {
        this.detectors = detectors;
    }

    /** The detector names expected to alert on this scheme. */
    public List<String> detectors() {
        return detectors;
    }
}
