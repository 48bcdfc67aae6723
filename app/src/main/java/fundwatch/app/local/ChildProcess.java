package fundwatch.app.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM: started through {@link OrphanGuard}, output appended to a log file (never to the
 * parent's stdout, which {@code demo} uses for JSON), stopped by SIGTERM then SIGKILL, and taken down
 * with the parent — by a shutdown hook on a normal exit, by stdin EOF (see {@link OrphanGuard}) when
 * the parent is killed outright.
 *
 * <p>On Linux the child is started under {@code setsid}, in its own session: a Ctrl-C in the terminal
 * then reaches only the parent, which stops its streams first and its broker last, instead of
 * every process at once. Where {@code setsid} does not exist the child simply shares the process group.
 */
final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Path SETSID = findSetsid();

    private final String name;
    private final Path logFile;
    private Process process;
    private Thread shutdownHook;

    ChildProcess(String name, Path logFile) {
        this.name = name;
        this.logFile = logFile;
    }

    /**
     * {@code [setsid] java <jvmArgs> -cp <guardDir>:<classpath> fundwatch.app.local.OrphanGuard <mainClass> <args>}.
     * The guard's class file is copied to {@code workDir} and put first on the classpath, so it is there
     * even when {@code classpath} is someone else's (Apicurio's runner jar).
     */
    static List<String> javaCommand(Path workDir, List<String> jvmArgs, String classpath,
                                    String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(installOrphanGuard(workDir) + java.io.File.pathSeparator + classpath);
        command.add(OrphanGuard.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts the command with {@code workDir} as its working directory; returns at once. */
    synchronized void start(List<String> command, Path workDir) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        appendToLog("=== " + Instant.now() + " starting " + name + ": " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE); // the orphan guard's lifeline; never written to
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Process started = process;
        shutdownHook = new Thread(() -> terminate(started, Duration.ofSeconds(15)), "fundwatch-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        log.debug("{} started, pid {}, log {}", name, started.pid(), logFile);
    }

    /** Runs the command to completion (bounded), failing with the log tail on a non-zero exit. */
    void runToCompletion(List<String> command, Path workDir, Duration timeout) {
        start(command, workDir);
        Process running = process;
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(Duration.ofSeconds(5));
                throw new IllegalStateException(name + " did not finish within " + timeout + "\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        forget();
        if (running.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit code " + running.exitValue() + "\n" + logTail());
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits up to {@code max} for the process to exit; true when it is not running (any more). Also a polling pause. */
    boolean hasExitedWithin(Duration max) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p == null || p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. No-op when not running. */
    synchronized void stop(Duration grace) {
        if (process != null) {
            terminate(process, grace);
            forget();
        }
    }

    /** SIGKILL, as a crash would; waits until the process is gone. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(30));
            forget();
        }
    }

    /** The last lines of the log file, for error messages. */
    String logTail() {
        int maxBytes = 8 * 1024;
        try (SeekableByteChannel channel = Files.newByteChannel(logFile, StandardOpenOption.READ)) {
            long size = channel.size();
            long from = Math.max(0, size - maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the tail is in
            }
            String tail = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            return "--- last " + tail.length() + " chars of " + logFile + " ---\n" + tail;
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    Path logFile() {
        return logFile;
    }

    /** A port that was free on 127.0.0.1 a moment ago (the usual small race is accepted for a local stack). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private void forget() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting; the hook itself is running or has run.
            }
            shutdownHook = null;
        }
        process = null;
    }

    private void terminate(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: Kafka and Quarkus shut down gracefully on it
        if (!awaitExit(p, grace)) {
            log.warn("{} (pid {}) did not stop within {}; killing it", name, p.pid(), grace);
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(30));
        }
    }

    private static boolean awaitExit(Process p, Duration max) {
        try {
            return p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    private void appendToLog(String line) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile, e);
        }
    }

    private static Path installOrphanGuard(Path workDir) {
        String relative = OrphanGuard.class.getName().replace('.', '/') + ".class";
        Path dir = workDir.resolve(".orphan-guard");
        Path target = dir.resolve(relative);
        try (InputStream in = OrphanGuard.class.getResourceAsStream("/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("class file " + relative + " not found on the classpath");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + relative + " to " + dir, e);
        }
        return dir.toAbsolutePath();
    }

    private static Path findSetsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
