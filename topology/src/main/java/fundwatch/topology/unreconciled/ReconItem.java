package fundwatch.topology.unreconciled;

/**
 * One movement that should have a twin on the other ledger: a clearing payment into custody and its custody
 * DEPOSIT, or a custody WITHDRAWAL and its clearing payment out.
 */
public record ReconItem(String platformId, Kind kind, long amountMinor, long eventTime, String eventId,
        String topic, String counterpartyId) {

    /** The code orders store keys; {@link #twin()} is the kind that matches this one. */
    public enum Kind {
        CLEARING_IN('I'), CUSTODY_DEPOSIT('D'), CUSTODY_WITHDRAWAL('W'), CLEARING_OUT('O'),
        /** Any other clearing leg of a registered platform account: it only moves the clearing watermark. */
        CLEARING_PROGRESS('P'),
        /** Any other custody movement: it only moves the custody watermark. */
        CUSTODY_PROGRESS('Q');

        final char code;

        Kind(char code) {
            this.code = code;
        }

        Kind twin() {
            return switch (this) {
                case CLEARING_IN -> CUSTODY_DEPOSIT;
                case CUSTODY_DEPOSIT -> CLEARING_IN;
                case CUSTODY_WITHDRAWAL -> CLEARING_OUT;
                case CLEARING_OUT -> CUSTODY_WITHDRAWAL;
                case CLEARING_PROGRESS, CUSTODY_PROGRESS ->
                        throw new IllegalStateException("a progress mark has no twin");
            };
        }

        boolean isProgressOnly() {
            return this == CLEARING_PROGRESS || this == CUSTODY_PROGRESS;
        }

        boolean fromClearing() {
            return this == CLEARING_IN || this == CLEARING_OUT || this == CLEARING_PROGRESS;
        }

        /** Only these alert when left alone; a deposit via another channel or an outflow for a loan does not. */
        boolean alertsWhenUnmatched() {
            return this == CLEARING_IN || this == CUSTODY_WITHDRAWAL;
        }
    }
}
