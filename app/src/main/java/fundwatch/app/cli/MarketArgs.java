package fundwatch.app.cli;

import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.Scheme;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code --schemes default|all|none|NAME[@ONSET][,NAME[@ONSET]...]} flag of {@link MarketOptions}. {@code default} plants every scheme that fits
 * the span at its default onset; {@code all} plants every scheme whose default onset lies in the span, even if the
 * span is too short to find it; a list
 * plants exactly those schemes, each at its default onset or at {@code ONSET} after the start ({@code 36h},
 * {@code 30d}).
 */
public final class MarketArgs {
    private MarketArgs() {
    }

    static MarketConfig.Builder schemes(MarketConfig.Builder b, String spec, int days) {
        String s = spec.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "default" -> {
                return b;
            }
            case "none" -> {
                return b.noSchemes();
            }
            case "all" -> {
                b.noSchemes();
                for (Scheme scheme : Scheme.values()) {
                    if (scheme.defaultOnset().compareTo(Duration.ofDays(days)) < 0) {
                        b.scheme(scheme);
                    }
                }
                return b;
            }
            default -> {
                b.noSchemes();
                for (String item : s.split(",")) {
                    String[] parts = item.trim().split("@", 2);
                    Scheme scheme = parse(parts[0]);
                    if (parts.length == 2) {
                        b.scheme(scheme, Args.parseDuration(parts[1]));
                    } else {
                        b.scheme(scheme);
                    }
                }
                return b;
            }
        }
    }

    private static Scheme parse(String name) {
        try {
            return Scheme.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scheme '" + name + "'; known: "
                    + Arrays.stream(Scheme.values()).map(Enum::name).collect(Collectors.joining(", ")), e);
        }
    }
}
