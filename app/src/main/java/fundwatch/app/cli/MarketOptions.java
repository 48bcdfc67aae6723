package fundwatch.app.cli;

import fundwatch.simulator.MarketConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The market flags shared by {@code simulate} and {@code evaluate --market} (see {@link MarketArgs}). */
public final class MarketOptions {
    @Option(names = "--seed", paramLabel = "N", description = "Random seed; same seed, same market (default: "
            + MarketConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--days", paramLabel = "N", description = "Simulated days (default: 30; evaluate --market: 14).")
    Integer days;

    @Option(names = "--platforms", paramLabel = "N", description = "Honest platforms (default: "
            + MarketConfig.DEFAULT_HONEST_PLATFORMS + ").")
    Integer platforms;

    @Option(names = "--volume", paramLabel = "X", description = "Scales every platform's business; 1.0: ~100 top-ups "
            + "a day per platform (default: 1).")
    Double volume;

    @Option(names = "--schemes", paramLabel = "SPEC", converter = SchemesConverter.class,
            description = "default|all|none|NAME[@ONSET],... e.g. RAPID_GROWTH@33d,PONZI (default: default).")
    String schemes;

    /** The market these flags describe; {@code defaultDays} is the command's own default span. */
    public MarketConfig.Builder builder(int defaultDays, picocli.CommandLine commandLine) {
        String problem = days != null && days < 1 ? "--days must be at least 1, was " + days
                : platforms != null && platforms < 0 ? "--platforms must be 0 or more, was " + platforms
                : volume != null && !(volume > 0 && volume < Double.POSITIVE_INFINITY)
                        ? "--volume must be a number above 0, was " + volume : null;
        if (problem != null) {
            throw new picocli.CommandLine.ParameterException(commandLine, problem);
        }
        int span = days == null ? defaultDays : days;
        MarketConfig.Builder b = MarketConfig.builder()
                .seed(seed == null ? MarketConfig.DEFAULT_SEED : seed)
                .simulatedDays(span)
                .honestPlatforms(platforms == null ? MarketConfig.DEFAULT_HONEST_PLATFORMS : platforms)
                .volume(volume == null ? 1 : volume);
        return MarketArgs.schemes(b, schemes == null ? "default" : schemes, span);
    }

    /** Checks the spelling at parse time, so that the error names --schemes and the known schemes. */
    static final class SchemesConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                MarketArgs.schemes(MarketConfig.builder(), value, Integer.MAX_VALUE / 86_400);
            } catch (RuntimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }
}
