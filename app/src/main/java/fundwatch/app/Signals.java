package fundwatch.app;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an orderly stop request. sun.misc.Signal is the JDK's supported way (module
 * jdk.unsupported) to handle them without turning them into a JVM exit: a JVM exit would run every shutdown hook at
 * once — including the ones that stop the demo's broker and registry — while Kafka Streams still wants to commit.
 */
public final class Signals {
    /** The conventional exit code of a process stopped by SIGINT (128 + 2). */
    public static final int EXIT_INTERRUPTED = 130;
    private static volatile boolean insisted;

    private Signals() {
    }

    /**
     * The first SIGINT/SIGTERM runs {@code action} (which should start an ordered stop and return at once); a
     * second one is the operator insisting, and exits the JVM at once — shutdown hooks still stop child processes.
     */
    /** True once a second signal asked to exit at once: shutdown hooks should not wait for an orderly stop. */
    public static boolean insisted() {
        return insisted;
    }

    public static void onTerminate(Runnable action) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.incrementAndGet() == 1) {
                        action.run();
                    } else {
                        System.err.println("fundwatch: second " + signal.getName() + ", exiting now");
                        insisted = true;
                        // Leaving now means the broker goes while Kafka clients still run: their connection
                        // warnings would fill the screen on the way out, and say nothing the operator does not know.
                        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka",
                                org.apache.logging.log4j.Level.OFF);
                        System.exit(EXIT_INTERRUPTED);
                    }
                });
            } catch (IllegalArgumentException e) {
                // Signal not available on this platform (or ignored by the parent, as for background jobs):
                // the shutdown hooks still close Kafka Streams and stop the children.
            }
        }
    }
}
