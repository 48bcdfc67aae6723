package fundwatch.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/** CPU time consumed so far by this JVM and by the broker's child JVM (read from /proc by ProcessHandle). */
final class Cpu {
    private Cpu() {
    }

    static double appSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /**
     * The broker is a descendant of this JVM (LocalKafkaBroker starts it through setsid, which execs in place),
     * recognised by its main class on the command line; no accessor on LocalKafkaBroker is needed. Read from
     * /proc directly: ProcessHandle.Info drops the arguments of a command line as long as the broker's classpath.
     */
    static Optional<ProcessHandle> broker() {
        return ProcessHandle.current().descendants().filter(Cpu::isBroker).findFirst();
    }

    private static boolean isBroker(ProcessHandle p) {
        try {
            byte[] cmdline = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains("\0kafka.Kafka\0");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static double seconds(Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).map(n -> n / 1e9)
                .orElse(Double.NaN);
    }
}
