package fundwatch.app.local;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of every child JVM started by {@link LocalKafkaBroker} and {@link LocalSchemaRegistry}:
 * {@code java ... fundwatch.app.local.OrphanGuard <real main class> <args...>}.
 *
 * <p>The parent holds the write end of the child's stdin pipe and never writes to it. When the parent
 * dies — even by SIGKILL, when no shutdown hook runs — the kernel closes that pipe, this guard reads
 * EOF and calls {@link System#exit}, so the child's own shutdown hooks (Kafka's controlled shutdown,
 * Quarkus's stop) still run. If they hang, the JVM is halted after a grace period.
 *
 * <p>This class is copied on its own into the registry's classpath (Apicurio must not see fundwatch's
 * dependencies), so it must stay self-contained: JDK classes only, no nested or anonymous classes
 * (lambdas are fine — they compile to methods of this class).
 */
public final class OrphanGuard {

    /** How long the child's shutdown hooks get after the parent vanished, before the JVM is halted. */
    private static final long GRACE_MILLIS = 30_000;

    private OrphanGuard() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: OrphanGuard <main class> [args...]");
        }
        Thread guard = new Thread(OrphanGuard::exitWhenParentGone, "fundwatch-orphan-guard");
        guard.setDaemon(true);
        guard.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentGone() {
        InputStream in = System.in;
        byte[] ignored = new byte[256];
        try {
            while (in.read(ignored) != -1) {
                // The parent never writes; anything it does write is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as EOF: the parent is gone.
        }
        System.err.println("[fundwatch-orphan-guard] parent process gone (stdin closed); shutting down");
        Thread halter = new Thread(OrphanGuard::haltAfterGrace, "fundwatch-orphan-halter");
        halter.setDaemon(true);
        halter.start();
        System.exit(143);
    }

    private static void haltAfterGrace() {
        try {
            TimeUnit.MILLISECONDS.sleep(GRACE_MILLIS); // a deadline, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("[fundwatch-orphan-guard] shutdown hooks still running after "
                + GRACE_MILLIS + " ms; halting");
        Runtime.getRuntime().halt(137);
    }
}
