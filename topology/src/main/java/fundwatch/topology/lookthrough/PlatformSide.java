package fundwatch.topology.lookthrough;

import fundwatch.avro.CustodyTransaction;
import fundwatch.topology.platformflow.PlatformLeg;

/** What the platform task of the tracing sees, one of three (never serialized: merged after the repartitions). */
record PlatformSide(PlatformLeg leg, CustodyTransaction custody, TracedCredit arrival) {
    static PlatformSide of(PlatformLeg leg) {
        return new PlatformSide(leg, null, null);
    }

    static PlatformSide of(CustodyTransaction tx) {
        return new PlatformSide(null, tx, null);
    }

    static PlatformSide of(TracedCredit arrival) {
        return new PlatformSide(null, null, arrival);
    }
}
