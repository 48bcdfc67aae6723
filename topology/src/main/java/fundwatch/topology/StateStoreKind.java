package fundwatch.topology;

/**
 * Where the topology keeps its state. Detectors see the same store interfaces, byte-ordered ranges and changelogs
 * either way; only durability and cost differ.
 */
public enum StateStoreKind {
    /** RocksDB: what {@code run} and {@code demo} use; state survives restarts. */
    PERSISTENT,
    /**
     * In memory: for {@code evaluate --market}, a TopologyTestDriver replay that commits every task after every
     * record. With RocksDB each of those commits writes every store's position (two thirds of the replay's time in
     * a profile); the verdicts do not depend on it.
     */
    IN_MEMORY
}
