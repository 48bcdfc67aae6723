package fundwatch.topology.support;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import java.time.Instant;

/** Test-data builders for payment institutions (D3c–D3e). Amounts in yuan. */
public final class InstitutionFixtures {
    private InstitutionFixtures() {
    }

    public static Platform institution(String id) {
        return Fixtures.platformOfKind(id, PlatformKind.PAYMENT_INSTITUTION);
    }

    public static AccountRegistration reserve(String accountId, String institution, String bank) {
        return AccountRegistration.newBuilder(Fixtures.account(accountId, institution, AccountPurpose.PAYMENT_RESERVE))
                .setBankId(bank).build();
    }

    public static AccountRegistration heldBy(AccountRegistration a, String holderPartyId) {
        return AccountRegistration.newBuilder(a).setHolderPartyId(holderPartyId).build();
    }

    /** A payment carried by {@code institution} from payer (at BANK-2) to payee (at BANK-1), cleared by {@code house}. */
    public static ClearingPayment carried(String id, String institution, String house, String payer, String payee,
            long yuan, Instant at) {
        return ClearingPayment.newBuilder(Fixtures.payment(id, payer, PartyType.INDIVIDUAL, payee, yuan, at))
                .setPaymentInstitutionId(institution).setClearingHouse(house).build();
    }

    /** The same, with payer and payee at one bank. */
    public static ClearingPayment sameBank(String id, String institution, String house, String payer, String payee,
            long yuan, Instant at) {
        return ClearingPayment.newBuilder(carried(id, institution, house, payer, payee, yuan, at))
                .setPayerBankId("BANK-1").build();
    }

    /** A reserve paying out: payer is the reserve account (a corporate payer), payee party as given. */
    public static ClearingPayment fromReserve(String id, String reserve, String payee, String payeeParty, long yuan,
            Instant at) {
        return ClearingPayment.newBuilder(Fixtures.payment(id, reserve, PartyType.CORPORATE, payee, yuan, at))
                .setPayeePartyId(payeeParty).setPaymentInstitutionId(null).build();
    }
}
