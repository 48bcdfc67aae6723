package fundwatch.topology.ingest;

/**
 * Thrown for an input record that decodes but breaks the contract. The processing exception handler turns it
 * into a dead letter; it is an exception so that a record never half-passes a validator.
 */
public final class InvalidRecordException extends RuntimeException {
    private final String reason;

    public InvalidRecordException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** A short, bounded code, used as a metric label. */
    public String reason() {
        return reason;
    }
}
