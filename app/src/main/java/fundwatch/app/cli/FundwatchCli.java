package fundwatch.app.cli;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.app.evaluate.EvaluateCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParseResult;

/**
 * The command line behind {@code bin/fundwatch}: one {@code @Command} per subcommand, so that {@code --help},
 * {@code --version}, typo suggestions, shell completion and README's usage all come from the same definitions.
 */
@Command(name = "fundwatch", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        description = "Fund-flow anomaly monitor on Kafka Streams.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulateCommand.class, RulesCommand.class,
                EvaluateCommand.class, CompletionCommand.class, HelpCommand.class},
        footer = {"%nExit codes: 0 done (also after Ctrl-C or SIGTERM), 1 failed, 2 bad command line or configuration.",
                "`fundwatch COMMAND --help` shows a command's options."})
public final class FundwatchCli implements Callable<Integer> {
    /** Usage width, fixed so that help output (and README's copy of it) does not depend on the terminal. */
    public static final int WIDTH = 116;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, and exit 2 (nothing was done). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** The configured command line: what Main executes and what the tests inspect. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FundwatchCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler(FundwatchCli::badCommandLine);
        // The commands that take any configuration key as a flag receive what they do not declare as positional
        // parameters (ConfigOptions then refuses what is not a dotted key); the others refuse unknown flags at once.
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().mixins().values().stream().anyMatch(m -> m.userObject() instanceof ConfigOptions)) {
                sub.setUnmatchedOptionsArePositionalParams(true);
            }
        }
        return cl;
    }

    /**
     * A bad command line: the problem in one line naming the flag, then picocli's suggestions for a typo or a pointer
     * to --help — not the whole usage, which would bury the one line that matters.
     */
    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String command = cl.getCommandSpec().qualifiedName();
        err.println(command + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + command + " --help' for its options.");
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * Errors a user can fix (bad configuration, bad input files, refused values) are one line and exit 2; anything
     * else is a failure (exit 1) with its stack trace, for a bug report.
     */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
            PrintWriter err = cl.getErr();
            if (e instanceof FundwatchConfig.ConfigException || e instanceof IllegalArgumentException) {
                err.println("fundwatch " + cl.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                err.println("fundwatch " + cl.getCommandName() + ": no such file: " + e.getMessage());
                return 2;
            }
            // Known failures of the outside world (a missing topic, a broker that refuses): their message says it all.
            if (e instanceof IllegalStateException || e instanceof fundwatch.simulator.Publisher.PublishException
                    || e instanceof org.apache.kafka.common.KafkaException) {
                err.println("fundwatch " + cl.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            if (e instanceof java.io.IOException) {
                err.println("fundwatch " + cl.getCommandName() + ": " + e);
                return 1;
            }
            err.println("fundwatch " + cl.getCommandName() + " failed:");
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The jar's Implementation-Version (Maven's project version). */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FundwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"fundwatch " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
