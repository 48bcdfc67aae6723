package fundwatch.app.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** README's usage block, generated from the same @Command definitions that parse the command line. */
final class UsageDoc {
    static final String BEGIN = "<!-- usage: generated from the @Command definitions; UsageDocTest keeps it in step -->";
    static final String END = "<!-- end usage -->";

    private UsageDoc() {
    }

    /** `fundwatch --help`, then each command's synopsis (its every flag); `--help` on a command has the details. */
    static String block() {
        CommandLine cl = FundwatchCli.commandLine();
        List<String> parts = new ArrayList<>();
        parts.add("$ bin/fundwatch --help");
        parts.add(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing());
        parts.add("");
        parts.add("$ bin/fundwatch COMMAND --help    # the synopses:");
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                parts.add(sub.getHelp().synopsis(0).stripTrailing());
            }
        });
        return "```text\n" + String.join("\n", parts).replace("\r", "") + "\n```";
    }
}
