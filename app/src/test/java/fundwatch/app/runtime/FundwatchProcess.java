package fundwatch.app.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code fundwatch run} in its own JVM, for tests that need a real crash (SIGKILL) or a real SIGTERM. It is
 * started behind OrphanGuard, so it ends if the test JVM dies.
 */
final class FundwatchProcess implements AutoCloseable {
    private final Process process;

    private FundwatchProcess(Process process) {
        this.process = process;
    }

    static FundwatchProcess start(Path log, List<String> flags) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "fundwatch.app.local.OrphanGuard", "fundwatch.app.Main", "run"));
        cmd.addAll(flags);
        return new FundwatchProcess(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }

    /** SIGKILL: no shutdown hook, no commit — a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM; returns the exit code, or -1 if it did not exit within {@code timeout}. */
    int terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close the child's stdin, which OrphanGuard rightly
        // reads as "parent gone" and exits 143 — a race with the SIGTERM under test.
        process.toHandle().destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
