package fundwatch.topology.clearingbypass;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Platform;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.paymentinstitution.InstitutionDayDetector;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.Money;
import java.util.Locale;
import java.util.Map;

/**
 * D3d CLEARING_BYPASS — 断直连 (DETECTION.md): cross-bank payments carried by a payment institution that did not clear
 * through a licensed clearing organisation (the rule's {@code licensedClearingHouse.*}, default NUCC and CUP). An
 * institution connected to several banks and moving money across them itself is running an interbank clearing
 * business. Per institution per Beijing day: a finding at ≥ 10 such payments or ≥ ¥100,000.
 *
 * <p>A payment with an empty clearingHouse counts (bucket {@value #UNNAMED}): the contract makes the field
 * mandatory, so empty means the network could name no clearing organisation — what a direct connection looks like.
 * One such record stays below the thresholds; a day of them is the finding.
 */
public final class ClearingBypassDetector extends InstitutionDayDetector {
    public static final String DETECTOR = DetectorDefaults.CLEARING_BYPASS;
    static final String UNNAMED = "unnamed";
    static final String OTHER = "other";

    public ClearingBypassDetector(String storeName, DayWindows windows, String topic, FundwatchMetrics metrics) {
        super(DETECTOR, storeName, windows, topic, metrics);
    }

    @Override
    protected String bucket(InstitutionPayment p) {
        if (!p.clearingBypass()) {
            return null;
        }
        return p.clearingHouse() == null || p.clearingHouse().isBlank() ? UNNAMED : OTHER;
    }

    @Override
    protected Map<String, Double> observed(WindowState day, Platform registered) {
        return metrics("bypassPayments", day.totalCount(), "bypassAmountMinor", day.totalSum(),
                "unnamedClearingPayments", day.count(UNNAMED), "otherClearingPayments", day.count(OTHER));
    }

    @Override
    protected String summary(String institutionId, Platform registered, long count, long total, long minCount,
            long minAmount) {
        return String.format(Locale.ROOT,
                "支付机构 %s: %d 笔跨行支付未经网联/银联清算 (合计 %s; 日阈值 %d 笔或 %s), 涉嫌断直连违规 / "
                        + "%d cross-bank payments not cleared through a licensed clearing organisation "
                        + "(total %s; limit %d payments or %s a day)",
                institutionId, count, Money.format(total), minCount, Money.format(minAmount),
                count, Money.format(total), minCount, Money.format(minAmount));
    }
}
