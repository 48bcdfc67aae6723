package fundwatch.simulator;

import fundwatch.avro.ClearingPayment;
import java.time.Instant;
import java.util.SplittableRandom;

/** Builds the clearing network's view of a payment between two parties' accounts. */
final class Payments {
    static final String NUCC = "NUCC";
    static final String CNAPS = "CNAPS";
    static final String CUP = "CUP";
    static final String ALIPAY = "PI-ALIPAY";
    static final String TENPAY = "PI-TENPAY";
    static final String UNIONPAY = "PI-UNIONPAY";

    private Payments() {
    }

    static ClearingPayment payment(String paymentId, long time, String clearingHouse, String institution,
                                   Party payer, Party payee, long amountMinor, String purpose) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amount must be > 0: " + amountMinor);
        }
        return ClearingPayment.newBuilder()
                .setPaymentId(paymentId)
                .setClearingHouse(clearingHouse)
                .setPayerAccountId(payer.accountId())
                .setPayerBankId(payer.bankId())
                .setPayerPartyId(payer.partyId())
                .setPayerPartyType(payer.type())
                .setPayeeAccountId(payee.accountId())
                .setPayeeBankId(payee.bankId())
                .setPayeePartyId(payee.partyId())
                .setPayeePartyType(payee.type())
                .setAmountMinor(amountMinor)
                .setCurrency(World.CURRENCY)
                .setPaymentInstitutionId(institution)
                .setPurpose(purpose)
                .setEventTime(Instant.ofEpochMilli(time))
                .build();
    }

    /** A payment made from a personal card: 60 % through a payment institution's quick-pay, else a bank transfer. */
    static ClearingPayment fromCard(SplittableRandom rng, String paymentId, long time, Party payer, Party payee,
                                    long amountMinor, String purpose) {
        boolean quickPay = Rand.chance(rng, 0.6);
        return payment(paymentId, time, quickPay ? NUCC : CNAPS,
                quickPay ? (Rand.chance(rng, 0.6) ? ALIPAY : TENPAY) : null, payer, payee, amountMinor, purpose);
    }

    /** A bank transfer through CNAPS (payouts, salaries, business payments). */
    static ClearingPayment bankTransfer(String paymentId, long time, Party payer, Party payee, long amountMinor,
                                        String purpose) {
        return payment(paymentId, time, CNAPS, null, payer, payee, amountMinor, purpose);
    }
}
