package fundwatch.schemas;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.AccountRole;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.Evidence;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.avro.TxType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Realistic contract records: one small P2P platform, its custody bank and a pooling alert. */
public final class ContractFixtures {

    public static final Instant T0 = Instant.parse("2024-03-01T09:15:00.123Z");

    private ContractFixtures() {
    }

    /** A lender investing 50,000.00 CNY into a loan project through the custody bank. */
    public static CustodyTransaction custodyInvest() {
        return CustodyTransaction.newBuilder()
                .setEventId("CB-ICBC-20240301-000917")
                .setCustodianId("ICBC-CUSTODY")
                .setPlatformId("P2P-0042")
                .setType(TxType.INVEST)
                .setDebitAccountId("ICBC-SUB-L-88123")
                .setCreditAccountId("ICBC-SUB-B-10077")
                .setDebitRole(AccountRole.LENDER)
                .setCreditRole(AccountRole.BORROWER)
                .setDebitPartyId("pty_5e1b9c0d4a")
                .setCreditPartyId("pty_a93f22c871")
                .setAmountMinor(5_000_000L)
                .setCurrency("CNY")
                .setProductId("LP-2024-0311")
                .setEventTime(T0)
                .build();
    }

    public static ClearingPayment clearingPayment() {
        return ClearingPayment.newBuilder()
                .setPaymentId("NUCC-7f3e0c91")
                .setClearingHouse("NUCC")
                .setPayerAccountId("6222020200112233445")
                .setPayerBankId("ICBC")
                .setPayerPartyId("pty_5e1b9c0d4a")
                .setPayerPartyType(PartyType.INDIVIDUAL)
                .setPayeeAccountId("31050161373600001234")
                .setPayeeBankId("CCB")
                .setPayeePartyId(null)
                .setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(1_250_000L)
                .setCurrency("CNY")
                .setPaymentInstitutionId("PI-ALIPAY")
                .setPurpose("出借 投资款")
                .setEventTime(T0.plusSeconds(30))
                .build();
    }

    public static Platform platform() {
        return Platform.newBuilder()
                .setPlatformId("P2P-0042")
                .setName("鑫融宝")
                .setKind(PlatformKind.P2P_LENDING)
                .setLicensed(false)
                .setCustodianId("ICBC-CUSTODY")
                .setStatus(PlatformStatus.RECTIFYING)
                .setRegisteredAt(Instant.parse("2016-05-20T00:00:00Z"))
                .setRegionCode("310115")
                .build();
    }

    public static AccountRegistration accountRegistration() {
        return AccountRegistration.newBuilder()
                .setAccountId("31050161373600001234")
                .setBankId("CCB")
                .setPlatformId("P2P-0042")
                .setHolderPartyId("pty_c0ffee1234")
                .setPurpose(AccountPurpose.RELATED_PARTY)
                .build();
    }

    public static Product product() {
        return Product.newBuilder()
                .setProductId("WP-2024-0007")
                .setPlatformId("P2P-0042")
                .setKind(ProductKind.WEALTH_PLAN)
                .setDeclaredAnnualYieldBps(1_180)
                .setTermDays(90)
                .setUnderlyingTermDays(365)
                .setTargetAmountMinor(2_000_000_000L)
                .setGuaranteedReturn(true)
                .setBorrowerPartyId(null)
                .setIssuedAt(T0.minusSeconds(86_400))
                .build();
    }

    public static BenchmarkRate benchmarkRate() {
        return BenchmarkRate.newBuilder()
                .setRateId("LPR_1Y")
                .setValueBps(345)
                .setEffectiveFrom(Instant.parse("2024-02-20T01:30:00Z"))
                .build();
    }

    public static DetectorRule detectorRule() {
        Map<String, Double> params = new LinkedHashMap<>();
        params.put("minInflowMinor", 10_000_000.0);
        params.put("poolRatio", 0.35);
        return DetectorRule.newBuilder()
                .setDetector("FUND_POOLING")
                .setEnabled(true)
                .setVersion("2024-03-r2")
                .setParams(params)
                .setUpdatedAt(T0.minusSeconds(3_600))
                .build();
    }

    public static Evidence evidence() {
        return Evidence.newBuilder()
                .setTopic("custody.transactions")
                .setEventId("CB-ICBC-20240301-000917")
                .setAmountMinor(5_000_000L)
                .setEventTime(T0)
                .setCounterpartyId("pty_a93f22c871")
                .build();
    }

    public static FundFlowAlert alert() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("poolRatio", 0.62);
        metrics.put("inflowMinor", 48_000_000.0);
        return FundFlowAlert.newBuilder()
                .setAlertId("FUND_POOLING:P2P-0042:1709251200000")
                .setRevision(2)
                .setDetector("FUND_POOLING")
                .setSeverity(Severity.HIGH)
                .setScore(0.87)
                .setSubjectId("P2P-0042")
                .setSubjectType(SubjectType.PLATFORM)
                .setPlatformId("P2P-0042")
                .setRegionCode("310115")
                .setWindowStart(Instant.parse("2024-03-01T00:00:00Z"))
                .setWindowEnd(Instant.parse("2024-03-02T00:00:00Z"))
                .setLastEventTime(T0)
                .setDetectedAt(T0.plusMillis(1_450))
                .setMetrics(metrics)
                .setThresholds(Map.of("poolRatio", 0.35))
                .setEvidence(List.of(evidence(), Evidence.newBuilder(evidence())
                        .setEventId("CB-ICBC-20240301-000918").setCounterpartyId(null).build()))
                .setRuleVersion("2024-03-r2")
                .setSummary("62% of lender inflow left custody for related-party accounts within 24h (limit 35%).")
                .build();
    }

    /** One instance of every contract record, in {@link Contract#RECORDS} order. */
    public static List<SpecificRecord> oneOfEach() {
        return List.of(custodyInvest(), clearingPayment(), platform(), accountRegistration(), product(),
                benchmarkRate(), detectorRule(), alert(), evidence());
    }
}
