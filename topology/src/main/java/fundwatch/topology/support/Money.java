package fundwatch.topology.support;

import java.util.Locale;

/** Money is long minor units (fen) everywhere; this only formats it for people. */
public final class Money {
    private Money() {
    }

    public static final long FEN_PER_YUAN = 100;

    public static long yuan(long yuan) {
        return Math.multiplyExact(yuan, FEN_PER_YUAN);
    }

    /** "¥1,250,000" or "¥1,250,000.50". */
    public static String format(long minor) {
        long whole = minor / FEN_PER_YUAN;
        long fen = Math.abs(minor % FEN_PER_YUAN);
        return fen == 0
                ? String.format(Locale.ROOT, "¥%,d", whole)
                : String.format(Locale.ROOT, "¥%,d.%02d", whole, fen);
    }
}
