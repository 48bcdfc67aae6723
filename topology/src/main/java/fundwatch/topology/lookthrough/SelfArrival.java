package fundwatch.topology.lookthrough;

/** Traced loan money that reached its own platform: sent to the platform's task for D8a (a distinct type, so the
 * account task's one output can be told apart from the credits it carries on). */
record SelfArrival(TracedCredit credit) {
}
