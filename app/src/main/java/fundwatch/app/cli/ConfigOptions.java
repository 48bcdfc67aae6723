package fundwatch.app.cli;

import fundwatch.app.config.FundwatchConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The layered configuration of every command that talks to a real cluster ({@code run}, {@code simulate},
 * {@code rules}): {@code --config FILE}, the {@code FUNDWATCH_*} environment and any configuration key as a flag,
 * {@code --<config.key>=VALUE} or {@code --<config.key> VALUE}. Keys are open-ended (every Kafka client setting), so
 * they cannot be declared as options; what is not a dotted key is still an unknown option, with picocli's
 * suggestions, and an unknown dotted key is refused by {@link FundwatchConfig}, naming it.
 */
public final class ConfigOptions {
    /** For the commands' usage: the pass-through cannot be an option of its own. */
    public static final String FOOTER = "%nAny configuration key is a flag, e.g.%n"
            + "  --security.protocol=SASL_SSL --sasl.mechanism=SCRAM-SHA-512 --topics.alerts=my.alerts%n"
            + "and an environment variable: FUNDWATCH_SECURITY_PROTOCOL=SASL_SSL sets security.protocol.";

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; precedence: built-in defaults < FILE < FUNDWATCH_* environment < flags.")
    Path file;

    /** Filled because FundwatchCli lets these commands take unknown options as positional parameters. */
    @Parameters(paramLabel = "--KEY=VALUE", arity = "0..*",
            description = "Any configuration key, e.g. --security.protocol=SASL_SSL (also --KEY VALUE).")
    List<String> keyFlags = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The dotted flags, in order; anything else on the command line is an unknown option. */
    public Map<String, String> flags() {
        List<String> unmatched = keyFlags; // everything the command did not declare, in order
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < unmatched.size(); i++) {
            String arg = unmatched.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            int eq = name.indexOf('=');
            String key = eq >= 0 ? name.substring(0, eq) : name;
            if (!arg.startsWith("-")) {
                throw new ParameterException(spec.commandLine(), "unexpected argument '" + arg
                        + "' (this command takes no arguments, only --flags)");
            }
            if (!key.contains(".") || key.startsWith(".") || key.endsWith(".")) {
                throw new UnmatchedArgumentException(spec.commandLine(), unmatched.subList(i, i + 1));
            }
            String value;
            if (eq >= 0) {
                value = name.substring(eq + 1);
            } else if (i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("--")) {
                value = unmatched.get(++i);
            } else {
                throw new ParameterException(spec.commandLine(),
                        "--" + key + " needs a value (--" + key + "=VALUE)");
            }
            flags.put(key, value);
        }
        return flags;
    }

    /**
     * The one config factory, as {@code run} uses it: {@code named} are the command's own named options that are
     * configuration keys (e.g. simulate's {@code --bootstrap-servers}); they are flags too, and win over a dotted
     * flag for the same key.
     */
    public FundwatchConfig load(Map<String, String> env, Map<String, String> named) {
        Map<String, String> flags = flags();
        flags.putAll(named);
        return FundwatchConfig.load(file, env, flags);
    }

    public FundwatchConfig load() {
        return load(System.getenv(), Map.of());
    }
}
