package fundwatch.app.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 2.6 (in-memory H2 storage) in a child JVM, spoken to through its Confluent-compatible
 * API at {@link #url()} — the same REST API a production Confluent Schema Registry, Karapace or Redpanda
 * serves (CONTRACT.md, "Wire format").
 *
 * <p>The distribution is {@code io.apicurio:apicurio-registry-app:tar.gz:all}, unpacked by the app
 * module's build into {@code app/target/apicurio} (a Quarkus "legacy jar": a runner jar plus {@code lib/}).
 * It is found through the system property {@value #HOME_PROPERTY} (Failsafe and {@code bin/fundwatch}
 * set it), else by looking for {@code app/target/apicurio} and {@code target/apicurio} under the working
 * directory and its parent.
 *
 * <p>Storage is in memory: {@link #stop()}, {@link #kill()} and {@link #restart()} lose every schema.
 *
 * <p>Confluent-compatibility settings passed to Apicurio (measured against 2.6.13, see LocalStackIT):
 * <ul>
 *   <li>{@code registry.ccompat.legacy-id-mode.enabled=false} (its default, pinned here): ids in the
 *       ccompat API are content ids, so one schema text has one id in every subject, as in Confluent.
 *       Legacy mode hands out global ids, one per subject version — the same schema registered under
 *       two subjects then gets two ids.</li>
 *   <li>{@code registry.ccompat.use-canonical-hash=true}: registering or looking up a schema compares
 *       canonical forms, so a schema that differs only in whitespace or key order resolves to the
 *       existing version and id, as Confluent does after parsing. Without it Apicurio compares raw
 *       text and such a schema becomes a new version with a new id.</li>
 * </ul>
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    /** System property naming the unpacked distribution directory (or the runner jar itself). */
    public static final String HOME_PROPERTY = "fundwatch.apicurio.home";

    private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final String HOST = "127.0.0.1";
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain"; // the runner jar's Main-Class

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Path apicurioHome;
    private final String heap;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final Map<String, String> properties;
    private final boolean persistent;
    private final ChildProcess child;
    private int port;
    private Duration lastStartup;

    private LocalSchemaRegistry(Builder b) {
        this.ownsWorkDir = b.workDir == null;
        this.workDir = (ownsWorkDir ? LocalKafkaBroker.createTempDir("fundwatch-registry-") : b.workDir)
                .toAbsolutePath();
        this.apicurioHome = b.apicurioHome;
        this.heap = b.heap;
        this.startupTimeout = b.startupTimeout;
        this.stopTimeout = b.stopTimeout;
        this.properties = Map.copyOf(b.properties);
        this.persistent = b.persistent;
        this.port = b.port;
        this.child = new ChildProcess("schema-registry", workDir.resolve("registry.log"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts Apicurio and blocks until {@code GET <url>/subjects} answers 200. A port given as 0 is
     * chosen now and kept for restarts.
     *
     * @throws IllegalStateException when the distribution is missing, or the registry dies or is not
     *                               ready within the startup timeout (the message carries the log tail)
     */
    public synchronized LocalSchemaRegistry start() {
        long t0 = System.nanoTime();
        Path runnerJar = findRunnerJar(apicurioHome);
        if (port == 0) {
            port = ChildProcess.freePort();
        }
        Map<String, String> sys = new LinkedHashMap<>();
        sys.put("quarkus.http.host", HOST);
        sys.put("quarkus.http.port", String.valueOf(port));
        sys.put("registry.ccompat.legacy-id-mode.enabled", "false");
        sys.put("registry.ccompat.use-canonical-hash", "true");
        // The prod profile sizes the H2 pool for a server (20..100 connections); a local registry needs few.
        sys.put("quarkus.datasource.jdbc.initial-size", "2");
        sys.put("quarkus.datasource.jdbc.min-size", "2");
        sys.put("quarkus.datasource.jdbc.max-size", "20");
        sys.put("vertx.cacheDirBase", workDir.resolve("vertx-cache").toString());
        sys.put("java.io.tmpdir", workDir.resolve("tmp").toString());
        if (persistent) {
            // An H2 file in the work dir instead of the in-memory default: schemas survive stop() and restart().
            sys.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + workDir.resolve("h2").resolve("registry"));
        }
        sys.putAll(properties);

        List<String> jvmArgs = new ArrayList<>(List.of(
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", // C1 only: faster start, and a registry is called once per schema
                "-XX:+ExitOnOutOfMemoryError"));
        sys.forEach((k, v) -> jvmArgs.add("-D" + k + "=" + v));
        try {
            Files.createDirectories(workDir.resolve("tmp"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + workDir.resolve("tmp"), e);
        }
        child.start(ChildProcess.javaCommand(workDir, jvmArgs, runnerJar.toString(), MAIN_CLASS, List.of()), workDir);
        awaitReady(System.nanoTime() + startupTimeout.toNanos());
        lastStartup = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Schema registry (Apicurio ccompat) ready at {} in {} ms", url(), lastStartup.toMillis());
        return this;
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7} — give it to serdes as {@code schema.registry.url}. */
    public synchronized String url() {
        if (port == 0) {
            throw new IllegalStateException("the schema registry has not been started yet");
        }
        return "http://" + HOST + ":" + port + CCOMPAT_PATH;
    }

    /** Graceful stop: SIGTERM, wait up to the stop timeout, then SIGKILL. Schemas are lost (in-memory storage). */
    public synchronized void stop() {
        child.stop(stopTimeout);
    }

    /** SIGKILL, for crash tests. Schemas are lost (in-memory storage). */
    public synchronized void kill() {
        child.kill();
    }

    /** Stops (if running) and starts again on the same port — with an empty registry. */
    public synchronized LocalSchemaRegistry restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return child.isAlive();
    }

    public synchronized int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Apicurio's stdout and stderr, appended across restarts. */
    public Path logFile() {
        return child.logFile();
    }

    /** Wall time of the last {@link #start()}, until the ccompat API answered 200. */
    public synchronized Duration lastStartupTime() {
        return lastStartup;
    }

    /** Stops the registry and, when this class created the work directory, deletes it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsWorkDir) {
            LocalKafkaBroker.deleteRecursively(workDir);
        }
    }

    /**
     * The Apicurio runner jar: from {@code explicitHome} if given, else {@value #HOME_PROPERTY}, else the
     * first of {@code app/target/apicurio}, {@code target/apicurio} under the working directory or its parent.
     */
    static Path findRunnerJar(Path explicitHome) {
        List<Path> candidates = new ArrayList<>();
        String fromProperty = System.getProperty(HOME_PROPERTY);
        if (explicitHome != null) {
            candidates.add(explicitHome);
        } else if (fromProperty != null && !fromProperty.isBlank()) {
            candidates.add(Path.of(fromProperty));
        } else {
            Path cwd = Path.of("").toAbsolutePath();
            for (Path base : cwd.getParent() == null ? List.of(cwd) : List.of(cwd, cwd.getParent())) {
                candidates.add(base.resolve("app/target/apicurio"));
                candidates.add(base.resolve("target/apicurio"));
            }
        }
        for (Path candidate : candidates) {
            Path jar = runnerJarIn(candidate.toAbsolutePath().normalize());
            if (jar != null) {
                return jar;
            }
        }
        throw new IllegalStateException("Apicurio Registry distribution not found; looked in " + candidates
                + ". Build it with `mvn -pl app package` (unpacks io.apicurio:apicurio-registry-app:tar.gz:all"
                + " into app/target/apicurio) or point -D" + HOME_PROPERTY + " at an unpacked distribution.");
    }

    private static Path runnerJarIn(Path candidate) {
        if (Files.isRegularFile(candidate) && candidate.getFileName().toString().endsWith("-runner.jar")) {
            return candidate;
        }
        if (!Files.isDirectory(candidate)) {
            return null;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(candidate, "apicurio-registry-app-*-runner.jar")) {
            for (Path jar : jars) {
                if (Files.isDirectory(candidate.resolve("lib"))) {
                    return jar;
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", candidate, e.toString());
        }
        return null;
    }

    private void awaitReady(long deadlineNanos) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            while (true) {
                try {
                    if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    log.trace("registry not ready yet: {}", notYet.toString());
                }
                if (child.hasExitedWithin(Duration.ofMillis(200))) {
                    throw new IllegalStateException("Schema registry exited during startup\n" + child.logTail());
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IllegalStateException("Schema registry not ready within " + startupTimeout
                            + ": GET " + probe.uri() + " never answered 200\n" + child.logTail());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill();
            throw new IllegalStateException("interrupted while starting the schema registry", e);
        } catch (RuntimeException e) {
            child.stop(Duration.ofSeconds(10));
            throw e;
        }
    }

    public static final class Builder {
        private int port;
        private Path workDir;
        private Path apicurioHome;
        private String heap = "256m";
        private Duration startupTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(20);
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean persistent;

        private Builder() {
        }

        /** Keep schemas in an H2 file in the work dir, so a restarted registry still knows every id. */
        public Builder persistent() {
            this.persistent = true;
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Where registry.log lives; kept on close. Default: a temp dir deleted on close. */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** The unpacked distribution directory (or its runner jar); default: see {@link LocalSchemaRegistry}. */
        public Builder apicurioHome(Path apicurioHome) {
            this.apicurioHome = Objects.requireNonNull(apicurioHome, "apicurioHome");
            return this;
        }

        /** JVM max heap, e.g. "256m" (the default). */
        public Builder heap(String heap) {
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like 256m, got " + heap);
            }
            this.heap = heap;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /** How long {@link #stop()} waits after SIGTERM before it kills. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
            return this;
        }

        /** An extra or replaced Apicurio/Quarkus configuration property, passed as {@code -Dkey=value} (applied last). */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public LocalSchemaRegistry build() {
            return new LocalSchemaRegistry(this);
        }
    }
}
