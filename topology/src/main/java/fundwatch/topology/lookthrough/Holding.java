package fundwatch.topology.lookthrough;

import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.errors.SerializationException;

/** Traced money an account still holds: the credit that brought it and how much of it has not been paid on. */
public record Holding(TracedCredit credit, long remainingMinor) {

    public static final BinaryCodec.Format<Holding> FORMAT = new BinaryCodec.Format<>() {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(Holding h, BinaryCodec.Writer out) {
            out.varLong(h.remainingMinor);
            TracedCredit.FORMAT.write(h.credit, out);
        }

        @Override
        public Holding read(int version, BinaryCodec.Reader in) {
            if (version != 1) {
                throw new SerializationException("holding v" + version);
            }
            long remaining = in.varLong();
            return new Holding(TracedCredit.FORMAT.read(1, in), remaining);
        }
    };
}
