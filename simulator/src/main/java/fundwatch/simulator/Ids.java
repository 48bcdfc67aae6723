package fundwatch.simulator;

/**
 * Deterministic identifiers. Counters, not random draws, so that ids are unique by construction;
 * party tokens go through a bijective mix so that they look like the keyed hashes the contract
 * describes while staying unique.
 */
final class Ids {
    private final long partySalt;
    private long parties;
    private long cards;
    private long corporateAccounts;
    private long products;
    private long custodyEvents;
    private long payments;

    Ids(long partySalt) {
        this.partySalt = partySalt;
    }

    String party() {
        String hex = Long.toHexString(Rand.mix64(partySalt + parties++));
        return "pty-" + "0".repeat(16 - hex.length()) + hex;
    }

    String card() {
        return pad("card-", ++cards, 7);
    }

    String corporateAccount() {
        return pad("corp-", ++corporateAccounts, 6);
    }

    String product() {
        return pad("PRD-", ++products, 5);
    }

    String custodyEvent() {
        return pad("CT-", ++custodyEvents, 6);
    }

    String payment() {
        return pad("CP-", ++payments, 6);
    }

    /** {@code prefix} followed by {@code n} zero-padded to at least {@code width} digits. */
    static String pad(String prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder(prefix.length() + Math.max(width, digits.length()));
        sb.append(prefix);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
