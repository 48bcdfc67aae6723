package fundwatch.app;

import fundwatch.app.cli.FundwatchCli;

/** The launcher behind {@code bin/fundwatch}: parses the command line (see {@link FundwatchCli}) and exits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(FundwatchCli.commandLine().execute(argv));
    }
}
