package fundwatch.topology.payouts;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.support.Money;
import java.util.Locale;

/**
 * D5b NEW_MONEY_PAYS_OLD (借新还旧): over a 30-day window, principal + interest paid to lenders exceeds what
 * borrowers repaid by more than 5 % ({@code minGapAmountMinor} can add a floor on the gap; 0, off, by default:
 * DETECTION.md D5b has none and no measured near miss has asked for one), while new lender deposits in the same
 * window are at least the gap — the money to pay old lenders is there only because new lenders brought it. See {@link PayoutKind} for
 * which custody movements count.
 *
 * <p>{@code gapShare = (paid − repaid − reserve) / paid}: the part of lender payouts that neither a borrower nor a
 * reserve or guarantor funded ({@link PayoutKind}). Severity grows
 * with it: MEDIUM, HIGH from 20 %, CRITICAL from 50 %.
 */
final class NewMoneyPaysOldCheck {
    private NewMoneyPaysOldCheck() {
    }

    static Finding finding(String platformId, String region, PlatformPayouts.Totals t, long[] window,
            EffectiveRule rule) {
        long paid = t.paidToLenders();
        long repaid = t.repaidByBorrowers;
        long reserve = t.coveredByOwnReserve();
        // A reserve's or guarantor's payout after a default is no borrower's money, but it is not new lenders' either.
        long gap = paid - repaid - reserve;
        double minExcess = rule.param("minExcessShare");
        long minGap = rule.longParam("minGapAmountMinor");
        if (paid == 0 || paid <= (repaid + reserve) * (1 + minExcess) || gap < minGap || t.newDeposits < gap) {
            return null;
        }
        double gapShare = gap / (double) paid;
        double high = rule.param("highGapShare");
        double critical = rule.param("criticalGapShare");
        Severity severity = PayoutsDetector.atLeast(gapShare >= critical ? Severity.CRITICAL
                : gapShare >= high ? Severity.HIGH : Severity.MEDIUM, window);
        double score = Math.min(1.0, 0.5 + 0.5 * gapShare);
        long windowDays = Math.max(1, rule.longParam("windowDays"));
        String summary = String.format(Locale.ROOT,
                "平台 %s: %d 日内向出借人支付本息 %s, 借款人仅还款 %s, 缺口 %s (占 %.0f%%) 由新增充值 %s 填补: 借新还旧 / "
                        + "platform %s paid lenders %s of principal and interest within %d days but borrowers repaid "
                        + "only %s; the gap of %s (%.0f%% of payouts, limit: repaid + %.0f%%) is covered by %s of new "
                        + "deposits: new money pays old",
                platformId, windowDays, Money.format(paid), Money.format(repaid), Money.format(gap), gapShare * 100,
                Money.format(t.newDeposits), platformId, Money.format(paid), windowDays, Money.format(repaid),
                Money.format(gap), gapShare * 100, minExcess * 100, Money.format(t.newDeposits));
        return new Finding(PayoutsDetector.NEW_MONEY, platformId, SubjectType.PLATFORM, platformId, region, window[0],
                window[1], t.lastEventTime, severity, score,
                metrics("gapShare", gapShare, "gapMinor", gap, "paidToLendersMinor", paid,
                        "interestToLendersMinor", t.interestToLenders, "principalToLendersMinor", t.principalToLenders,
                        "repaidByBorrowersMinor", repaid, "coveredByReserveMinor", reserve,
                        "newDepositsMinor", t.newDeposits),
                metrics("minExcessShare", minExcess, "minGapAmountMinor", minGap, "highGapShare", high,
                        "criticalGapShare", critical, "windowDays", windowDays),
                t.unfunded, rule.version(), summary, gap, rule.param("reemitMinGrowth"));
    }
}
