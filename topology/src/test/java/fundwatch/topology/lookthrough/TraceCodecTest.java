package fundwatch.topology.lookthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.topology.support.BinaryCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracing's state formats: bytes written by version 1 stay readable, and every format round-trips. */
class TraceCodecTest {
    private static final TracedCredit CREDIT = new TracedCredit("MID", "pty-mid", "X-1", 2, 1_000L, 500L, "P-1",
            OriginKind.LOAN, "pty-shell", List.of(new Hop("L-1", "P1-CM", "SHELL", 900L, 900L, 10L),
                    new Hop("X-1", "SHELL", "MID", 800L, 500L, 1_000L)));

    @Test
    void shouldReadAnOutgoingPaymentWrittenByVersion1() {
        // version 1; "p"; "a"; null payee party; eventTime 1, amount 2, capacity 3, nextSeq 4 (zig-zag varints)
        byte[] v1 = {1, 2, 'p', 2, 'a', 1, 2, 4, 6, 8};

        Outgoing o = BinaryCodec.decode(Outgoing.FORMAT, v1);

        assertEquals(new Outgoing("p", "a", null, 1, 2, 3, 4), o);
        assertArrayEquals(v1, BinaryCodec.encode(Outgoing.FORMAT, o));
    }

    @Test
    void shouldRoundTripEveryTracingFormat() {
        assertEquals(CREDIT, BinaryCodec.decode(TracedCredit.FORMAT, BinaryCodec.encode(TracedCredit.FORMAT, CREDIT)));
        Holding h = new Holding(CREDIT, 123L);
        assertEquals(h, BinaryCodec.decode(Holding.FORMAT, BinaryCodec.encode(Holding.FORMAT, h)));
        PendingOrigin p = new PendingOrigin(true, "L-1", "P1-CM", "SHELL", null, 900L, 10L, null, 7_200_010L);
        assertEquals(p, BinaryCodec.decode(PendingOrigin.FORMAT, BinaryCodec.encode(PendingOrigin.FORMAT, p)));

        Convergence c = new Convergence();
        c.days.put(20_000L, 500L);
        c.borrower("pty-b", 99L);
        c.evidence = Arrival.with(List.of(), new Arrival("X-1", "pty-b", 500L, 99L, 2));
        c.episode = new long[] {1L, 2L, 3L};
        c.expiryDay = 20_008L;
        Convergence c2 = BinaryCodec.decode(Convergence.FORMAT, BinaryCodec.encode(Convergence.FORMAT, c));
        assertEquals(c.days, c2.days);
        assertEquals(c.borrowers, c2.borrowers);
        assertEquals(c.evidence, c2.evidence);
        assertArrayEquals(c.episode, c2.episode);
        assertEquals(c.expiryDay, c2.expiryDay);

        PlatformTrace t = new PlatformTrace();
        t.day(20_000L)[PlatformTrace.DISBURSED] = 900L;
        t.day(20_000L)[PlatformTrace.SELF] = 500L;
        t.evidence = c.evidence;
        PlatformTrace t2 = BinaryCodec.decode(PlatformTrace.FORMAT, BinaryCodec.encode(PlatformTrace.FORMAT, t));
        assertArrayEquals(t.days.get(20_000L), t2.days.get(20_000L));
        assertEquals(t.evidence, t2.evidence);
    }

    @Test
    void shouldKeepAtMost64BorrowersDroppingTheOldest() {
        Convergence c = new Convergence();
        for (int i = 0; i < 70; i++) {
            c.borrower("b" + i, i);
        }
        assertEquals(Convergence.MAX_BORROWERS, c.borrowers.size());
        assertEquals(false, c.borrowers.containsKey("b0"));
        assertEquals(true, c.borrowers.containsKey("b69"));
    }
}
