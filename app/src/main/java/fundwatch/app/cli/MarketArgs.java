package fundwatch.app.cli;

import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.Scheme;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The market flags shared by {@code simulate}, {@code evaluate --market} and {@code demo}: {@code --seed N},
 * {@code --days N}, {@code --platforms N} (honest ones), {@code --volume X} and
 * {@code --schemes default|all|none|NAME[@ONSET][,NAME[@ONSET]...]}. {@code default} plants every scheme that fits
 * the span at its default onset; {@code all} plants every scheme whose default onset lies in the span, even if the
 * span is too short to find it; a list
 * plants exactly those schemes, each at its default onset or at {@code ONSET} after the start ({@code 36h},
 * {@code 30d}).
 */
public final class MarketArgs {
    public static final String USAGE = "[--seed N] [--days N] [--platforms N] [--volume X] "
            + "[--schemes default|all|none|NAME[@ONSET],...]";

    private MarketArgs() {
    }

    public static MarketConfig.Builder builder(Args args, int defaultDays) {
        MarketConfig.Builder b = MarketConfig.builder()
                .seed(args.longValue("seed", MarketConfig.DEFAULT_SEED))
                .simulatedDays(args.intValue("days", defaultDays))
                .honestPlatforms(args.intValue("platforms", MarketConfig.DEFAULT_HONEST_PLATFORMS))
                .volume(Double.parseDouble(args.get("volume", "1")));
        return schemes(b, args.get("schemes", "default"), args.intValue("days", defaultDays));
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
