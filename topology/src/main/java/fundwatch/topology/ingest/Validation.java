package fundwatch.topology.ingest;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.Platform;
import fundwatch.avro.Product;
import fundwatch.topology.rules.DetectorDefaults;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contract's validity rules for each input record (CONTRACT.md, "Dead letters"). Each check throws
 * {@link InvalidRecordException} with a reason code; the record then goes to the DLQ unchanged.
 */
public final class Validation {
    private static final Pattern ISO_4217 = Pattern.compile("[A-Z]{3}");
    /** Nothing in this market predates 2000; an earlier event time is a producer bug, not history. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * ¥10 trillion in fen: far above any real payment, far below where summing a window's amounts could overflow
     * a long. Anything larger is a producer bug, not a payment.
     */
    static final long MAX_AMOUNT_MINOR = 1_000_000_000_000_000L;

    private final Duration maxFutureSkew;

    public Validation(Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    public void custody(CustodyTransaction tx, long nowMillis) {
        requireId("eventId", tx.getEventId());
        requireId("custodianId", tx.getCustodianId());
        requireId("platformId", tx.getPlatformId());
        requireId("debitAccountId", tx.getDebitAccountId());
        requireId("creditAccountId", tx.getCreditAccountId());
        requireAmount(tx.getAmountMinor());
        requireCurrency(tx.getCurrency());
        requireEventTime("eventTime", tx.getEventTime(), nowMillis);
    }

    public void clearing(ClearingPayment p, long nowMillis) {
        requireId("paymentId", p.getPaymentId());
        requireId("payerAccountId", p.getPayerAccountId());
        requireId("payeeAccountId", p.getPayeeAccountId());
        requireAmount(p.getAmountMinor());
        requireCurrency(p.getCurrency());
        requireEventTime("eventTime", p.getEventTime(), nowMillis);
    }

    public void platform(Platform p, long nowMillis) {
        requireId("platformId", p.getPlatformId());
        requireEventTime("registeredAt", p.getRegisteredAt(), nowMillis);
    }

    public void account(AccountRegistration a, long nowMillis) {
        requireId("accountId", a.getAccountId());
        requireId("bankId", a.getBankId());
        // A client reserve is a payment institution's by definition: D3c attributes its outflow to that
        // institution, and the hub check (D1c) exempts it. One tied to no platform would be watched by neither, so
        // the registration is refused and the account stays unregistered (and so under the hub check).
        if (a.getPurpose() == fundwatch.avro.AccountPurpose.PAYMENT_RESERVE
                && (a.getPlatformId() == null || a.getPlatformId().isBlank())) {
            throw new InvalidRecordException("reserve-without-platform",
                    "PAYMENT_RESERVE account " + a.getAccountId() + " is registered to no platform");
        }
    }

    public void product(Product p, long nowMillis) {
        requireId("productId", p.getProductId());
        requireId("platformId", p.getPlatformId());
        if (p.getTermDays() <= 0) {
            throw new InvalidRecordException("invalid-term", "termDays must be > 0, was " + p.getTermDays());
        }
        if (p.getTargetAmountMinor() <= 0) {
            throw new InvalidRecordException("invalid-amount", "targetAmountMinor must be > 0");
        }
        requireEventTime("issuedAt", p.getIssuedAt(), nowMillis);
    }

    public void rate(BenchmarkRate r, long nowMillis) {
        requireId("rateId", r.getRateId());
        if (r.getValueBps() < 0) {
            throw new InvalidRecordException("invalid-rate", "valueBps must be >= 0, was " + r.getValueBps());
        }
        // A benchmark rate is announced ahead of the date it takes effect (RatesView applies it from then): a date
        // up to a year ahead is a schedule, not an absurd event time.
        requireEventTime("effectiveFrom", r.getEffectiveFrom(), nowMillis + RATE_SCHEDULE_AHEAD.toMillis());
    }

    static final Duration RATE_SCHEDULE_AHEAD = Duration.ofDays(366);

    /**
     * A rule the running application could not apply as written is refused, not half-applied: an unknown detector
     * name or parameter name (a typo would otherwise leave the default in force while the regulator believes the
     * new limit holds), or a key naming another detector than the value (the rule would be stored under the key).
     * The `rules` command refuses the same before publishing; this catches every other producer.
     */
    public void rule(String key, DetectorRule r, long nowMillis) {
        requireId("detector", r.getDetector());
        requireId("version", r.getVersion());
        if (!DetectorDefaults.isKnown(r.getDetector())) {
            throw new InvalidRecordException("unknown-detector", "no detector named " + r.getDetector()
                    + "; known: " + DetectorDefaults.all().keySet());
        }
        if (key != null && !key.equals(r.getDetector())) {
            throw new InvalidRecordException("key-mismatch", "record key " + key + " names another detector than "
                    + r.getDetector());
        }
        Map<String, Double> defaults = DetectorDefaults.of(r.getDetector());
        for (Map.Entry<String, Double> e : r.getParams().entrySet()) {
            if (!DetectorDefaults.acceptsParam(r.getDetector(), e.getKey())) {
                throw new InvalidRecordException("unknown-param", r.getDetector() + " has no parameter "
                        + e.getKey() + "; known: " + defaults.keySet());
            }
            if (e.getValue() == null || e.getValue().isNaN() || e.getValue().isInfinite()) {
                throw new InvalidRecordException("invalid-param", "param " + e.getKey() + " is not a finite number");
            }
        }
    }

    private static void requireId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException("missing-id", field + " is empty");
        }
    }

    private static void requireAmount(long amountMinor) {
        if (amountMinor <= 0) {
            throw new InvalidRecordException("invalid-amount", "amountMinor must be > 0, was " + amountMinor);
        }
        if (amountMinor > MAX_AMOUNT_MINOR) {
            throw new InvalidRecordException("amount-too-large",
                    "amountMinor " + amountMinor + " exceeds " + MAX_AMOUNT_MINOR + " (¥10 trillion)");
        }
    }

    private static void requireCurrency(String currency) {
        if (currency == null || !ISO_4217.matcher(currency).matches()) {
            throw new InvalidRecordException("invalid-currency", "not an ISO 4217 code: " + currency);
        }
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("invalid-currency", "unknown ISO 4217 code: " + currency);
        }
    }

    private void requireEventTime(String field, Instant time, long nowMillis) {
        if (time == null) {
            throw new InvalidRecordException("missing-event-time", field + " is missing");
        }
        if (time.isBefore(EARLIEST)) {
            throw new InvalidRecordException("event-time-too-old", field + " " + time + " is before " + EARLIEST);
        }
        if (time.toEpochMilli() > nowMillis + maxFutureSkew.toMillis()) {
            throw new InvalidRecordException("event-time-in-future",
                    field + " " + time + " is more than " + maxFutureSkew + " ahead of the clock");
        }
    }
}
