package fundwatch.topology.unlicensedpayment;

import static fundwatch.topology.alert.AlertLifecycleProcessor.metrics;

import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.paymentinstitution.InstitutionDayDetector;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.paymentinstitution.InstitutionPaymentClassifier;
import fundwatch.topology.rules.DetectorDefaults;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.Money;
import java.util.Locale;
import java.util.Map;

/**
 * D3e UNLICENSED_PAYMENT — 无证经营支付业务 (DETECTION.md): payments carried under a paymentInstitutionId that is not
 * a registered PAYMENT_INSTITUTION with a licence and a status other than EXITED. Per institution id per Beijing
 * day: a finding at ≥ 20 payments or ≥ ¥50,000, so that one mis-keyed record does not alert.
 *
 * <p>An id registered as another kind of platform (a P2P lender carrying payments, say) counts like an unregistered
 * one — it has no payment licence — and the summary names the kind it is registered as. Each payment is judged
 * against the registry as it stands when the payment is read.
 */
public final class UnlicensedPaymentDetector extends InstitutionDayDetector {
    public static final String DETECTOR = DetectorDefaults.UNLICENSED_PAYMENT;
    static final String PAYMENTS = "payments";

    public UnlicensedPaymentDetector(String storeName, DayWindows windows, String topic, FundwatchMetrics metrics) {
        super(DETECTOR, storeName, windows, topic, metrics);
    }

    @Override
    protected String bucket(InstitutionPayment p) {
        // Judged again against the registry here: where registrations and payments arrive together (a fresh start,
        // the demo), the payer's task may have read a payment before the global store held its institution.
        return p.unlicensed() && !InstitutionPaymentClassifier.isLicensedInstitution(registry.platform(p.institutionId()))
                ? PAYMENTS : null;
    }

    @Override
    protected Map<String, Double> observed(WindowState day, Platform registered) {
        return metrics("unlicensedPayments", day.totalCount(), "unlicensedAmountMinor", day.totalSum(),
                "registered", registered == null ? 0 : 1,
                "licensed", registered != null && registered.getLicensed() ? 1 : 0);
    }

    @Override
    protected String summary(String institutionId, Platform registered, long count, long total, long minCount,
            long minAmount) {
        return String.format(Locale.ROOT,
                "机构 %s (%s): 当日以其名义办理 %d 笔支付 (合计 %s; 阈值 %d 笔或 %s), 涉嫌无证经营支付业务 / "
                        + "%d payments carried under an institution id that is %s (total %s; limit %d payments or %s a day)",
                institutionId, standingZh(registered), count, Money.format(total), minCount, Money.format(minAmount),
                count, standing(registered), Money.format(total), minCount, Money.format(minAmount));
    }

    /** Why the id is not a licensed institution, for the summary. */
    static String standing(Platform p) {
        if (p == null) {
            return "not registered";
        }
        if (p.getKind() != PlatformKind.PAYMENT_INSTITUTION) {
            return "registered as a " + p.getKind() + " platform, not a payment institution";
        }
        if (p.getStatus() == PlatformStatus.EXITED) {
            return "a payment institution that has EXITED";
        }
        return "a payment institution without a licence";
    }

    private static String standingZh(Platform p) {
        if (p == null) {
            return "未登记";
        }
        if (p.getKind() != PlatformKind.PAYMENT_INSTITUTION) {
            return "登记为 " + p.getKind() + " 平台, 非支付机构";
        }
        if (p.getStatus() == PlatformStatus.EXITED) {
            return "已退出的支付机构";
        }
        return "未持牌支付机构";
    }
}
