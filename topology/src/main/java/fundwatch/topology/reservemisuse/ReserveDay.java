package fundwatch.topology.reservemisuse;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One institution's reserve outflow on one Beijing day: the reserve's job (to merchants and customers; between
 * reserves) as sums only, and its own use ({@link ReserveUse#OWN}, {@link ReserveUse#AFFILIATE},
 * {@link ReserveUse#OTHER_PLATFORM}) as buckets with the largest payments as evidence. Fixed size.
 */
record ReserveDay(long othersSum, long othersCount, long reserveMoveSum, long reserveMoveCount, WindowState use) {

    static ReserveDay empty(String institutionId, long start, long end) {
        return new ReserveDay(0, 0, 0, 0, WindowState.empty(institutionId, start, end));
    }

    ReserveDay add(ReserveUse kind, EvidenceItem item) {
        return switch (kind) {
            case OTHERS -> new ReserveDay(Math.addExact(othersSum, item.amountMinor()), othersCount + 1,
                    reserveMoveSum, reserveMoveCount, use);
            case RESERVE_MOVE -> new ReserveDay(othersSum, othersCount,
                    Math.addExact(reserveMoveSum, item.amountMinor()), reserveMoveCount + 1, use);
            default -> new ReserveDay(othersSum, othersCount, reserveMoveSum, reserveMoveCount,
                    use.add(kind.name(), item));
        };
    }

    long sum(ReserveUse kind) {
        return use.sum(kind.name());
    }

    long count(ReserveUse kind) {
        return use.count(kind.name());
    }

    /** Version 1: the four counters, then the embedded window state in its own v1 layout. */
    static final BinaryCodec.Format<ReserveDay> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(ReserveDay d, BinaryCodec.Writer out) {
            out.varLong(d.othersSum).varLong(d.othersCount).varLong(d.reserveMoveSum).varLong(d.reserveMoveCount);
            WindowState.FORMAT.write(d.use, out);
        }

        @Override
        public ReserveDay read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("reserve day v" + version);
            }
            return new ReserveDay(in.varLong(), in.varLong(), in.varLong(), in.varLong(),
                    WindowState.FORMAT.read(1, in));
        }
    };
}
