package fundwatch.simulator;

import java.util.List;

/**
 * Honest conduct planted close to a detector's limit, labelled in the ground truth so that {@code evaluate} names
 * any alert about it: a detector that flags one is wrong (a false positive), however plausible the alert looks.
 * Every default market has them (on its honest platforms, people and shops); none is a violation of the rules in
 * DETECTION.md.
 */
public enum NearMiss {
    /** An interest coupon campaign: SUBSIDY of 8 % of the interest paid, under D5a's 10 % and ¥500,000. */
    SUBSIDY_WITHIN_LIMITS("YIELD_SUBSIDY"),
    /**
     * A borrower defaults; the platform's RISK_RESERVE (funded by TRANSFERs of its fees) pays the lenders their
     * interest and principal (代偿). Lenders are paid more than borrowers repaid, but by the reserve, not by new money.
     */
    RESERVE_PAYS_AFTER_DEFAULT("NEW_MONEY_PAYS_OLD", "FUND_POOLING"),
    /** As above, but a guarantee company (GUARANTOR) pays the defaulted loan's lenders. */
    GUARANTOR_PAYS_AFTER_DEFAULT("NEW_MONEY_PAYS_OLD", "FUND_POOLING"),
    /** A WEALTH_PLAN of 180 days over a 180-day loan: a plan, but no maturity mismatch. */
    MATCHED_WEALTH_PLAN("MATURITY_MISMATCH", "FUND_POOLING"),
    /** A closed-end plan of exactly 90 days (资管新规's floor) over a 90-day loan. */
    CLOSED_END_90_DAYS("MATURITY_MISMATCH"),
    /** Loan projects at 1 190 bps with LPR_1Y at 300 bps: just under the 4 × LPR ceiling, declared and paid. */
    YIELD_BELOW_CEILING("ABNORMAL_YIELD"),
    /**
     * After a month of steady business, 2.3 times the top-ups: its 7-day inflow peaks at 2.2–2.8 × the 28-day weekly
     * average, fast but under D6's 3 × ratio (a busy platform, so that chance does not carry a week over it).
     */
    STEADY_GROWER("RAPID_GROWTH"),
    /** A person who borrows exactly ¥200,000 on each of five platforms: ¥1,000,000 in all, at both caps. */
    BORROWER_AT_CAPS("BORROWING_CAP"),
    /** People with two or three bank cards, topping up from one and withdrawing to another. */
    SEVERAL_BANK_CARDS("FUND_POOLING", "ILLEGAL_FUNDRAISING"),
    /** A shop with hundreds of paying customers and a few suppliers, paid weekly: many payers, no payback. */
    BUSY_SHOP("ILLEGAL_FUNDRAISING", "FUND_POOLING"),
    /** A custodian that delivers the platform's ledger once a day, at 08:00 Beijing time the next morning (T+1). */
    NEXT_MORNING_CUSTODIAN("UNRECONCILED_FLOW"),
    /** The platform's clearing feed runs two hours ahead of its custody feed: each ledger entry arrives 2 h late. */
    CLEARING_AHEAD_OF_CUSTODY("UNRECONCILED_FLOW"),
    /**
     * A licensed payment institution at work: nightly settlements of up to ¥1.5M, refunds, weekly moves of ¥1–5M
     * between its reserve banks, the day's fee income drawn at exactly the 1 % allowance, cross-bank traffic through
     * NUCC/CUP ({@code InstitutionBusiness}). Every honest institution of the market carries this label.
     */
    HONEST_PAYMENT_INSTITUTION("PAYMENT_RESERVE_MISUSE", "CLEARING_BYPASS", "UNLICENSED_PAYMENT"),
    /** Each honest platform pays its related party a monthly salary from its general account: its own income. */
    SALARY_TO_RELATED_PARTY("SELF_FINANCING"),
    /** Borrowers of every honest platform spend 5–20 % of a loan at the busiest shop: a small share each. */
    BORROWERS_SPEND_AT_BUSY_SHOP("CONCENTRATED_FINAL_USE"),
    /** A corporate borrower's whole loan reaches its platform's executive 80–110 h later: past the 72 h horizon. */
    LOAN_REACHES_EXECUTIVE_AFTER_HORIZON("SELF_FINANCING");

    private final List<String> detectors;

    NearMiss(String... detectors) {
        this.detectors = List.of(detectors);
    }

    /** The detectors whose limits this honest conduct comes close to: none of them may flag it. */
    public List<String> detectors() {
        return detectors;
    }
}
