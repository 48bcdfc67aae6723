package fundwatch.app.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker + controller, node.id 1) in a child JVM, built from
 * the {@code kafka_2.13} classes already on this application's classpath — no download, no Docker.
 *
 * <p>Used by {@code demo} and by the integration tests. The data directory survives {@link #stop()},
 * {@link #kill()} and {@link #restart()} (same ports, same data); it is deleted on {@link #close()}
 * only when this class created it as a temporary directory.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
 *     broker.start();
 *     String bootstrap = broker.bootstrapServers(); // "127.0.0.1:<port>"
 * }
 * }</pre>
 *
 * <p>Single-node quorum: a static {@code controller.quorum.voters=1@127.0.0.1:<controllerPort>} (not
 * {@code format --standalone}'s dynamic quorum, which records the controller endpoint in the metadata
 * log). With a static voter set an existing data directory can be restarted on other ports.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final String heap;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final Map<String, String> overrides;
    private final ChildProcess child;
    private final String scramUser;
    private final String scramPassword;
    private int port;
    private int controllerPort;
    private int saslPort;
    private Duration lastStartup;

    private LocalKafkaBroker(Builder b) {
        this.ownsWorkDir = b.workDir == null;
        this.workDir = (ownsWorkDir ? createTempDir("fundwatch-kafka-") : b.workDir).toAbsolutePath();
        this.heap = b.heap;
        this.startupTimeout = b.startupTimeout;
        this.stopTimeout = b.stopTimeout;
        this.overrides = Map.copyOf(b.overrides);
        this.port = b.port;
        this.controllerPort = b.controllerPort;
        this.scramUser = b.scramUser;
        this.scramPassword = b.scramPassword;
        this.child = new ChildProcess("kafka-broker", workDir.resolve("broker.log"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it has never been formatted, starts the broker and blocks until an
     * Admin client can describe the cluster. Ports given as 0 are chosen now and kept for restarts.
     *
     * @throws IllegalStateException when the broker dies or is not ready within the startup timeout;
     *                               the message carries the tail of {@code broker.log}
     */
    public synchronized LocalKafkaBroker start() {
        long t0 = System.nanoTime();
        if (port == 0) {
            do {
                port = ChildProcess.freePort();
            } while (port == controllerPort);
        }
        if (controllerPort == 0) {
            do {
                controllerPort = ChildProcess.freePort();
            } while (controllerPort == port);
        }
        if (scramUser != null && saslPort == 0) {
            do {
                saslPort = ChildProcess.freePort();
            } while (saslPort == port || saslPort == controllerPort);
        }
        Path config = writeConfig();
        Path dataDir = dataDir();
        String classpath = ChildClasspath.join(ChildClasspath.ofCurrentJvm());
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            String clusterId = Uuid.randomUuid().toString();
            // --ignore-formatted as well, in case a half-formatted directory is lying around.
            List<String> formatArgs = new ArrayList<>(List.of(
                    "format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"));
            if (scramUser != null) {
                // KRaft keeps SCRAM credentials in the metadata log; formatting writes the first one, so the SASL
                // listener accepts the user from the first start on, with no Admin call over an unsecured listener.
                formatArgs.addAll(List.of("--add-scram",
                        "SCRAM-SHA-256=[name=" + scramUser + ",password=" + scramPassword + "]"));
            }
            List<String> format = ChildProcess.javaCommand(workDir,
                    List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                            "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2-broker.properties")),
                    classpath, "kafka.tools.StorageTool", formatArgs);
            new ChildProcess("kafka-storage-format", child.logFile())
                    .runToCompletion(format, workDir, Duration.ofSeconds(60));
            log.info("Formatted KRaft storage {} with cluster id {}", dataDir, clusterId);
        }
        List<String> jvmArgs = new ArrayList<>(List.of(
                "-Xms" + heap, "-Xmx" + heap,
                "-XX:+UseSerialGC",             // 2 shared cores: no parallel GC threads competing with the app
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dkafka.logs.dir=" + workDir.resolve("logs"),
                "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2-broker.properties")));
        child.start(ChildProcess.javaCommand(workDir, jvmArgs, classpath, "kafka.Kafka", List.of(config.toString())),
                workDir);
        awaitReady(System.nanoTime() + startupTimeout.toNanos());
        lastStartup = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Kafka broker ready at {} in {} ms (work dir {})", bootstrapServers(), lastStartup.toMillis(), workDir);
        return this;
    }

    /** {@code 127.0.0.1:<port>} of the PLATFORM listener. Valid once {@link #start()} has chosen the port. */
    public synchronized String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return HOST + ":" + port;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SASL listener (SASL_PLAINTEXT, SCRAM-SHA-256) that {@link Builder#scramUser}
     * adds. Valid once {@link #start()} has chosen the port.
     *
     * @throws IllegalStateException when the broker has no SCRAM listener or has not been started
     */
    public synchronized String saslBootstrapServers() {
        if (scramUser == null) {
            throw new IllegalStateException("the broker was built without scramUser(...): no SASL listener");
        }
        if (saslPort == 0) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return HOST + ":" + saslPort;
    }

    /** Graceful stop: SIGTERM (controlled shutdown), wait up to the stop timeout, then SIGKILL. Keeps the data. */
    public synchronized void stop() {
        child.stop(stopTimeout);
    }

    /** SIGKILL, for crash tests: no controlled shutdown, the next start recovers the logs. Keeps the data. */
    public synchronized void kill() {
        child.kill();
    }

    /** Stops (if running) and starts again on the same ports and data directory. */
    public synchronized LocalKafkaBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return child.isAlive();
    }

    public synchronized int port() {
        return port;
    }

    public synchronized int controllerPort() {
        return controllerPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** The broker's stdout and stderr, appended across restarts. */
    public Path logFile() {
        return child.logFile();
    }

    /** Wall time of the last {@link #start()}: format (if needed), JVM start, until describeCluster succeeded. */
    public synchronized Duration lastStartupTime() {
        return lastStartup;
    }

    /** Stops the broker and, when this class created the work directory, deletes it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private Path writeConfig() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        if (scramUser == null) {
            p.put("listeners", "PLATFORM://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", "PLATFORM://" + HOST + ":" + port);
            p.put("listener.security.protocol.map", "PLATFORM:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // An extra SASL_PLAINTEXT listener with SCRAM-SHA-256; PLATFORM stays plaintext (inter-broker, the
            // readiness probe, test admins). The credential itself is written at format time (see start()).
            p.put("listeners", "PLATFORM://" + HOST + ":" + port + ",SASL://" + HOST + ":" + saslPort
                    + ",CONTROLLER://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", "PLATFORM://" + HOST + ":" + port + ",SASL://" + HOST + ":" + saslPort);
            p.put("listener.security.protocol.map", "PLATFORM:PLAINTEXT,SASL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            p.put("listener.name.sasl.sasl.enabled.mechanisms", "SCRAM-SHA-256");
            p.put("listener.name.sasl.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("inter.broker.listener.name", "PLATFORM");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dataDir().toString());
        // One node: every internal topic has exactly one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0"); // the same for KIP-1071 "streams" groups
        // After a crash the restarted node cannot register until its previous incarnation's session
        // expires (default 9 s); a shorter session makes kill() + restart() take ~5 s less.
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "4000");
        // CONTRACT.md: input topics are created by the operator; a typo must fail, not create a topic.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // Small footprint for a shared 2-core machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("group.coordinator.threads", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.retention.check.interval.ms", "60000");
        p.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        p.putAll(overrides);

        StringBuilder text = new StringBuilder("# Written by fundwatch LocalKafkaBroker; rewritten on every start.\n");
        p.forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
        Path file = workDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            Files.writeString(workDir.resolve("log4j2-broker.properties"), BROKER_LOG4J2, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker config in " + workDir, e);
        }
        return file;
    }

    private void awaitReady(long deadlineNanos) {
        try {
            // Cheap TCP probe first, so the Admin client does not log a warning per refused connection.
            while (!acceptsConnections()) {
                failIfDeadOrLate(deadlineNanos, "listener " + bootstrapServers() + " never accepted connections");
            }
            Map<String, Object> adminConfig = Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                    AdminClientConfig.CLIENT_ID_CONFIG, "fundwatch-local-broker-probe");
            try (Admin admin = Admin.create(adminConfig)) {
                while (true) {
                    try {
                        if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                                .nodes().get(4, TimeUnit.SECONDS).isEmpty()) {
                            return;
                        }
                    } catch (ExecutionException | TimeoutException notYet) {
                        log.debug("broker not ready yet: {}", notYet.toString());
                    }
                    failIfDeadOrLate(deadlineNanos, "describeCluster did not succeed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill();
            throw new IllegalStateException("interrupted while starting the Kafka broker", e);
        } catch (RuntimeException e) {
            child.stop(Duration.ofSeconds(10));
            throw e;
        }
    }

    /** Doubles as the polling pause: waits a little for the process to exit. */
    private void failIfDeadOrLate(long deadlineNanos, String what) throws InterruptedException {
        if (child.hasExitedWithin(Duration.ofMillis(200))) {
            throw new IllegalStateException("Kafka broker exited during startup\n" + child.logTail());
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("Kafka broker not ready within " + startupTimeout + ": " + what
                    + "\n" + child.logTail());
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    static Path createTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** Kafka's own logging, into broker.log; INFO for the server lifecycle, WARN for the chatty parts. */
    private static final String BROKER_LOG4J2 = String.join("\n",
            "status = warn",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.target = SYSTEM_OUT",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = out",
            "logger.state.name = state.change.logger",
            "logger.state.level = WARN",
            "logger.request.name = kafka.request.logger",
            "logger.request.level = WARN",
            "logger.clients.name = org.apache.kafka.clients",
            "logger.clients.level = WARN",
            "logger.log.name = org.apache.kafka.storage.internals.log",
            "logger.log.level = WARN",
            "logger.cluster.name = kafka.cluster",
            "logger.cluster.level = WARN",
            "logger.logmgr.name = kafka.log",
            "logger.logmgr.level = WARN",
            "");

    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path workDir;
        private String heap = "512m";
        private Duration startupTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private final Map<String, String> overrides = new java.util.LinkedHashMap<>();
        private String scramUser;
        private String scramPassword;

        private Builder() {
        }

        /**
         * Adds a {@code SASL://127.0.0.1:<port>} listener (SASL_PLAINTEXT, SCRAM-SHA-256) next to the plaintext
         * one, with this SCRAM credential created when the storage is formatted (only then: a data directory
         * formatted without it keeps no credential). See {@link LocalKafkaBroker#saslBootstrapServers()}.
         */
        public Builder scramUser(String name, String password) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            // The --add-scram syntax is [name=...,password=...]: these characters would break it.
            if (name.isEmpty() || password.isEmpty() || (name + password).matches(".*[\\[\\],=\"\\s].*")) {
                throw new IllegalArgumentException("SCRAM user and password must be non-empty, without [ ] , = \" "
                        + "or whitespace");
            }
            this.scramUser = name;
            this.scramPassword = password;
            return this;
        }

        /** Client (PLATFORM listener) port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /** Where server.properties, data/ and broker.log live; kept on close. Default: a temp dir deleted on close. */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** JVM heap (-Xms and -Xmx), e.g. "512m" (the default). */
        public Builder heap(String heap) {
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like 512m, got " + heap);
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

        /** An extra or replaced server.properties entry (applied last). */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public LocalKafkaBroker build() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ");
            }
            return new LocalKafkaBroker(this);
        }

        private static int checkPort(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
            return p;
        }
    }
}
