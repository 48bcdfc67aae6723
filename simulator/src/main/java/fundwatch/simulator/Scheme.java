package fundwatch.simulator;

import java.time.Duration;
import java.util.List;

/**
 * A fraudulent scheme the simulator can plant in the market, with the detectors (DETECTION.md names)
 * that are expected to find it, and where a default market puts its onset. Each scheme is written to the
 * ground truth as one {@link TruthRecord} whose subject is what the detectors alert on: the scheme's own
 * platform, or for the two schemes that run outside any platform of their own, a party or an account.
 */
public enum Scheme {
    /** D3a: individuals pay a P2P platform's PLATFORM_GENERAL account directly, outside custody. */
    CUSTODY_BYPASS(List.of("CUSTODY_BYPASS"), Duration.ZERO, 1),
    /**
     * D3b: the platform's custody ledger and the money disagree — top-ups reach its CUSTODY_MASTER
     * with no custody DEPOSIT, and custody WITHDRAWALs pay nobody out.
     */
    UNRECONCILED_FLOW(List.of("UNRECONCILED_FLOW"), Duration.ZERO, 1),
    /**
     * D4/D5: a Ponzi — products above the 4 × LPR ceiling, old lenders' interest and principal paid from the
     * platform's own account out of new deposits, and a welcome-bonus subsidy campaign ({@code PonziScheme}).
     */
    PONZI(List.of("ABNORMAL_YIELD", "NEW_MONEY_PAYS_OLD", "YIELD_SUBSIDY"), Duration.ZERO, 1),
    /**
     * D1/D2: a pooling platform ({@code PoolingScheme}) — a short wealth plan over long loans whose money goes into
     * the platform's own collection account instead of to borrowers, and a loan project raised beyond its target.
     */
    POOLING(List.of("FUND_POOLING", "MATURITY_MISMATCH"), Duration.ZERO, 1),
    /**
     * D1c: an account of no licensed platform takes savings from hundreds of individuals and pays some of them
     * "returns" ({@code UnlicensedHub}). Subject: that account.
     */
    UNLICENSED_HUB(List.of("ILLEGAL_FUNDRAISING"), Duration.ZERO, 12),
    /**
     * D7: one individual borrows ¥300,000 on each of four platforms — over the ¥200,000 cap on each and the
     * ¥1,000,000 cap across them ({@code BorrowerOverCaps}). Subject: the borrower party.
     */
    BORROWER_OVER_CAPS(List.of("BORROWING_CAP"), Duration.ofHours(2), 2),
    /**
     * D6 spurt: an ACTIVE platform that, after a month of steady business, takes in five times its usual deposits, mostly
     * from new lenders — a scheme gathering speed. Needs 28 days of history before its onset.
     */
    RAPID_GROWTH(List.of("RAPID_GROWTH"), Duration.ofDays(30), 36),
    /**
     * D6 shrink requirement: a platform ordered to rectify (status RECTIFYING from its onset) keeps growing, so its
     * outstanding balance rises month over month. Found when a whole calendar month after a seen month end closes.
     */
    RECTIFYING_GROWER(List.of("RAPID_GROWTH"), Duration.ZERO, 63),
    /**
     * D3c: a licensed payment institution lends client reserve money to its affiliate, which buys an asset manager's
     * wealth product with it, and buys such products from the reserve itself ({@code InstitutionBusiness}). Subject:
     * the institution.
     */
    PAYMENT_RESERVE_MISUSE(List.of("PAYMENT_RESERVE_MISUSE"), Duration.ZERO, 1),
    /**
     * D3d: a licensed payment institution with reserves at three banks settles its cross-bank payments itself
     * ("DIRECT" or a bank's own code) instead of through NUCC or CUP. Subject: the institution.
     */
    CLEARING_BYPASS(List.of("CLEARING_BYPASS"), Duration.ZERO, 1),
    /**
     * D3e: an institution id in no registry carries shops' card payments, within each shop's bank
     * ({@code UnlicensedPayments}). Subject: that id.
     */
    UNLICENSED_PAYMENT(List.of("UNLICENSED_PAYMENT"), Duration.ZERO, 1),
    /**
     * D8a self-financing: the platform lends to shells it controls, whose loans pass through one to three intermediary
     * companies into its related-party account ({@code SelfFinancingScheme}). The last hop pays a related-party
     * account directly, outside custody, so D3a sees it too.
     */
    SELF_FINANCING(List.of("SELF_FINANCING", "CUSTODY_BYPASS"), Duration.ZERO, 3),
    /**
     * D8b fictitious borrowers: ten people borrow from one honest platform within two days and pass their loans to
     * one company account ({@code FictitiousBorrowers}). Subject: that account.
     */
    FICTITIOUS_BORROWERS(List.of("CONCENTRATED_FINAL_USE"), Duration.ofHours(6), 3);

    private final List<String> detectors;
    private final Duration defaultOnset;
    private final int minDays;

    Scheme(List<String> detectors, Duration defaultOnset, int minDays) {
        this.detectors = detectors;
        this.defaultOnset = defaultOnset;
        this.minDays = minDays;
    }

    /** The detector names expected to alert on this scheme. */
    public List<String> detectors() {
        return detectors;
    }

    /** Onset in a default market, from the start of the span. */
    public Duration defaultOnset() {
        return defaultOnset;
    }

    /**
     * The shortest span, in simulated days, in which the scheme can be found at its default onset: a default market
     * plants only the schemes that fit, so its truth never holds a scheme no detector could see in time.
     */
    public int minDays() {
        return minDays;
    }

    /** Whether the scheme runs on a platform of its own (the others use honest platforms or none). */
    public boolean hasOwnPlatform() {
        return this != UNLICENSED_HUB && this != BORROWER_OVER_CAPS && this != FICTITIOUS_BORROWERS
                && !runsAnInstitution();
    }

    /** Whether the scheme is a payment institution's (D3c–D3e): its subject is the institution id, not a P2P platform. */
    public boolean runsAnInstitution() {
        return this == PAYMENT_RESERVE_MISUSE || this == CLEARING_BYPASS || this == UNLICENSED_PAYMENT;
    }
}
