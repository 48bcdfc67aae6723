/**
 * The local stack behind {@code demo} and the {@code *IT} tests, with no Docker: a real KRaft Kafka broker
 * ({@link fundwatch.app.local.LocalKafkaBroker}) and a real Confluent-API schema registry, Apicurio
 * ({@link fundwatch.app.local.LocalSchemaRegistry}), each a child JVM.
 *
 * <p>Children log to files in their work directories, never to this process's stdout. They do not outlive
 * this process: a shutdown hook stops them on a normal exit, and {@link fundwatch.app.local.OrphanGuard}
 * makes them exit when their stdin pipe from this process closes — which the kernel does when this
 * process dies in any way, SIGKILL included.
 */
package fundwatch.app.local;
