package fundwatch.topology.support;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.AccountRole;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.Product;
import fundwatch.avro.ProductKind;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.TxType;
import java.time.Instant;
import java.util.Map;

/** Test-data builders: each reads like the market fact it stands for. Amounts are given in yuan. */
public final class Fixtures {
    private Fixtures() {
    }

    /** 10:00 Beijing time on 2026-11-28, well inside one Beijing day. */
    public static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    public static Platform p2pPlatform(String id) {
        return Platform.newBuilder().setPlatformId(id).setName("Platform " + id).setKind(PlatformKind.P2P_LENDING)
                .setLicensed(true).setCustodianId("CB-1").setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).setRegionCode("110000").build();
    }

    public static Platform platformOfKind(String id, PlatformKind kind) {
        return Platform.newBuilder(p2pPlatform(id)).setKind(kind).build();
    }

    public static AccountRegistration account(String accountId, String platformId, AccountPurpose purpose) {
        return AccountRegistration.newBuilder().setAccountId(accountId).setBankId("BANK-1").setPlatformId(platformId)
                .setHolderPartyId("pty-holder-" + platformId).setPurpose(purpose).build();
    }

    public static ClearingPayment payment(String id, String payer, PartyType payerType, String payee, long yuan,
            Instant at) {
        return ClearingPayment.newBuilder().setPaymentId(id).setClearingHouse("NUCC")
                .setPayerAccountId(payer).setPayerBankId("BANK-2").setPayerPartyId("pty-" + payer)
                .setPayerPartyType(payerType).setPayeeAccountId(payee).setPayeeBankId("BANK-1")
                .setPayeePartyId("pty-" + payee).setPayeePartyType(PartyType.CORPORATE)
                .setAmountMinor(Money.yuan(yuan)).setCurrency("CNY").setEventTime(at).build();
    }

    public static ClearingPayment payoutToIndividual(String id, String payer, String payee, long yuan, Instant at) {
        return ClearingPayment.newBuilder(payment(id, payer, PartyType.CORPORATE, payee, yuan, at))
                .setPayeePartyType(PartyType.INDIVIDUAL).build();
    }

    public static CustodyTransaction custody(String id, String platformId, TxType type, long yuan, Instant at) {
        boolean inbound = type == TxType.DEPOSIT;
        return CustodyTransaction.newBuilder().setEventId(id).setCustodianId("CB-1").setPlatformId(platformId)
                .setType(type)
                .setDebitAccountId(inbound ? "EXT-CARD" : "SUB-LENDER-1")
                .setCreditAccountId(inbound ? "SUB-LENDER-1" : "EXT-CARD")
                .setDebitRole(inbound ? AccountRole.EXTERNAL : AccountRole.LENDER)
                .setCreditRole(inbound ? AccountRole.LENDER : AccountRole.EXTERNAL)
                .setDebitPartyId("pty-lender-1").setCreditPartyId("pty-lender-1")
                .setAmountMinor(Money.yuan(yuan)).setCurrency("CNY").setEventTime(at).build();
    }

    public static Product product(String id, String platformId, int yieldBps, boolean guaranteed) {
        return Product.newBuilder().setProductId(id).setPlatformId(platformId).setKind(ProductKind.LOAN_PROJECT)
                .setDeclaredAnnualYieldBps(yieldBps).setTermDays(180).setUnderlyingTermDays(null)
                .setTargetAmountMinor(Money.yuan(1_000_000)).setGuaranteedReturn(guaranteed)
                .setBorrowerPartyId("pty-borrower-" + id).setIssuedAt(T0).build();
    }

    public static BenchmarkRate lpr1y(int bps, Instant from) {
        return BenchmarkRate.newBuilder().setRateId("LPR_1Y").setValueBps(bps).setEffectiveFrom(from).build();
    }

    public static CustodyTransaction invest(String id, String platformId, String productId, long yuan, Instant at) {
        return CustodyTransaction.newBuilder(custody(id, platformId, TxType.INVEST, yuan, at))
                .setDebitAccountId("SUB-LENDER-1").setDebitRole(AccountRole.LENDER)
                .setCreditAccountId("SUB-BORROWER-" + productId).setCreditRole(AccountRole.BORROWER)
                .setCreditPartyId("pty-borrower-" + productId).setProductId(productId).build();
    }

    public static DetectorRule rule(String detector, boolean enabled, String version, Map<String, Double> params) {
        return DetectorRule.newBuilder().setDetector(detector).setEnabled(enabled).setVersion(version)
                .setParams(params).setUpdatedAt(T0).build();
    }
}
