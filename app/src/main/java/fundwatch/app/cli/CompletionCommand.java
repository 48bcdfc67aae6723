package fundwatch.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fundwatch completion bash}: the completion script, generated from the same command definitions. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH,
        header = "Print the bash/zsh completion script.",
        description = {"Print a shell completion script for fundwatch (bash; zsh after `autoload bashcompinit && "
                + "bashcompinit`).",
                "Try it:     source <(bin/fundwatch completion bash)",
                "Install it: bin/fundwatch completion bash > /etc/bash_completion.d/fundwatch"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh (default: bash).")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // picocli's script serves both shells: zsh runs it through bashcompinit.
        spec.commandLine().getOut().print(AutoComplete.bash("fundwatch", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
