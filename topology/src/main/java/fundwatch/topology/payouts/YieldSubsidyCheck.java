package fundwatch.topology.payouts;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.rules.EffectiveRule;
import fundwatch.topology.support.Money;
import java.util.Locale;
import java.util.Map;

/**
 * D5a YIELD_SUBSIDY (变相补贴): over a 30-day window, SUBSIDY credited to lenders exceeds 10 % of the interest
 * lenders received (REPAY_INTEREST credited to LENDER), or ¥500,000. A subsidy is yield the borrowers never
 * paid: a platform topping up returns from its own pocket is advertising a rate its loans do not earn. HIGH above
 * the amount limit, MEDIUM on the share alone. {@code minAmountMinor} can set a floor for the share test; it is 0
 * (off) by default, as DETECTION.md D5a has none and no measured near miss has asked for one.
 */
final class YieldSubsidyCheck {
    private YieldSubsidyCheck() {
    }

    static Finding finding(String platformId, String region, PlatformPayouts.Totals t, long[] window,
            EffectiveRule rule) {
        long subsidies = t.subsidies;
        long interest = t.interestToLenders;
        double maxShare = rule.param("maxShareOfInterest");
        long maxAmount = rule.longParam("maxAmountMinor");
        long minAmount = rule.longParam("minAmountMinor");
        boolean overAmount = subsidies > maxAmount;
        boolean overShare = subsidies >= minAmount && subsidies > maxShare * interest;
        if (subsidies == 0 || (!overAmount && !overShare)) {
            return null;
        }
        double share = interest == 0 ? Double.POSITIVE_INFINITY : subsidies / (double) interest;
        Severity severity = PayoutsDetector.atLeast(overAmount ? Severity.HIGH : Severity.MEDIUM, window);
        double strength = Math.max(subsidies / (double) Math.max(1, maxAmount),
                Double.isInfinite(share) ? 1 : share / Math.max(1e-9, maxShare));
        double score = Math.min(1.0, 0.4 + 0.2 * strength);
        String shareText = Double.isInfinite(share) ? "no interest paid" : String.format(Locale.ROOT, "%.0f%% of the interest", share * 100);
        String summary = String.format(Locale.ROOT,
                "平台 %s: %d 日内向出借人发放补贴 %s, 出借人收到利息 %s (阈值: 利息的 %.0f%% 或 %s): 变相补贴收益 / "
                        + "platform %s paid lenders %s of subsidies (%s they received, %s) within %d days "
                        + "(limits %.0f%% of interest or %s): yield subsidy",
                platformId, windowDays(rule), Money.format(subsidies), Money.format(interest), maxShare * 100,
                Money.format(maxAmount), platformId, Money.format(subsidies), shareText, Money.format(interest),
                windowDays(rule), maxShare * 100, Money.format(maxAmount));
        Map<String, Double> observed = metrics("subsidyAmountMinor", subsidies, "interestToLendersMinor", interest);
        if (interest > 0) {
            // Without any interest the share is unbounded; the amounts say it all.
            observed.put("subsidyShareOfInterest", share);
        }
        return new Finding(PayoutsDetector.SUBSIDY, platformId, SubjectType.PLATFORM, platformId, region, window[0],
                window[1], t.lastEventTime, severity, score, observed,
                metrics("maxShareOfInterest", maxShare, "maxAmountMinor", maxAmount, "minAmountMinor", minAmount,
                        "windowDays", windowDays(rule)),
                t.subsidy, rule.version(), summary, subsidies, rule.param("reemitMinGrowth"));
    }

    private static long windowDays(EffectiveRule rule) {
        return Math.max(1, rule.longParam("windowDays"));
    }
}
