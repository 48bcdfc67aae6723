package fundwatch.app.cli;

import fundwatch.app.progress.Progress;
import picocli.CommandLine.Option;

/** {@code --progress}: how long work reports how far it has come (always on stderr). */
public final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "MODE", description = "auto|bar|log|none: a live bar, a line every "
            + "10 s, or nothing, on stderr (default: auto — a bar when stderr is a terminal, else lines).")
    public Progress.Mode mode = Progress.Mode.AUTO;
}
