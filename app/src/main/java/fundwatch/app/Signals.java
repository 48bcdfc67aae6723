package fundwatch.app;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an orderly stop request. sun.misc.Signal is the JDK's supported way (module
 * jdk.unsupported) to handle them without turning them into a JVM exit.
 */
final class Signals {
    private Signals() {
    }

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException e) {
                // Signal not available on this platform (or ignored by the parent, as for background jobs):
                // the shutdown hook still closes Kafka Streams.
            }
        }
    }
}
