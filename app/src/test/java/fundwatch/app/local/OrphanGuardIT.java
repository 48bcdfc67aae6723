package fundwatch.app.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise that no broker or registry outlives fundwatch, checked with a real process tree:
 * this test → a stand-in parent JVM → a child JVM started by {@link ChildProcess} like the broker is.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OrphanGuardIT {

    @Test
    void shouldStopChildWhenParentIsKilledWithSigkill(@TempDir Path workDir) throws Exception {
        // Given a parent JVM that has started a long-running child through ChildProcess
        String classpath = ChildClasspath.join(ChildClasspath.ofCurrentJvm());
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, FakeParent.class.getName(), workDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ProcessHandle child;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String pidLine = out.readLine(); // the parent prints the child's pid once the child is started
            assertTrue(pidLine != null && pidLine.matches("\\d+"), "child pid from parent, got " + pidLine);
            Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(pidLine));
            assertTrue(handle.isPresent() && handle.get().isAlive(), "child is running");
            child = handle.get();

            // When the parent dies without running any shutdown hook
            parent.destroyForcibly();
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "parent gone");
        }

        // Then the child notices (stdin EOF) and exits on its own
        boolean exited = child.onExit().thenApply(p -> true)
                .completeOnTimeout(false, 30, TimeUnit.SECONDS).get();
        if (!exited) {
            child.destroyForcibly();
        }
        assertTrue(exited, "child outlived its parent");
        assertFalse(child.isAlive());
    }

    /** Stands in for fundwatch: starts a child the way LocalKafkaBroker does, reports its pid, then waits to be killed. */
    public static final class FakeParent {
        public static void main(String[] args) throws Exception {
            Path workDir = Path.of(args[0]);
            ChildProcess child = new ChildProcess("sleeper", workDir.resolve("sleeper.log"));
            child.start(ChildProcess.javaCommand(workDir, List.of("-Xmx32m"),
                    ChildClasspath.join(ChildClasspath.ofCurrentJvm()), Sleeper.class.getName(), List.of()), workDir);
            // The child's pid is not exposed by ChildProcess; find it among our descendants.
            ProcessHandle sleeper = ProcessHandle.current().children().findFirst().orElseThrow();
            System.out.println(sleeper.pid());
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    /** A child that would run forever if nothing stopped it. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }
}
