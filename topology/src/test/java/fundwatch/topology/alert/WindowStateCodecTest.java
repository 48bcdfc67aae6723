package fundwatch.topology.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import fundwatch.topology.support.JsonSerde;
import org.junit.jupiter.api.Test;

/** WindowState's stored format: binary version 1 now, and what earlier builds stored (Smile) still reads. */
class WindowStateCodecTest {
    private static WindowState sample() {
        WindowState w = WindowState.empty("P-1", 1_000, 86_401_000);
        for (int i = 0; i < 25; i++) {
            w = w.add(i % 2 == 0 ? "in" : "out", new EvidenceItem("clearing.payments", "PAY-" + i, 1_000 + i,
                    2_000 + i, i % 3 == 0 ? null : "CP-" + i));
        }
        return w;
    }

    @Test
    void shouldRoundTripTheBinaryFormat() {
        WindowState w = sample();
        byte[] bytes = WindowState.SERDE.serializer().serialize("t", w);
        assertEquals(1, bytes[0], "version byte first");
        assertEquals(w, WindowState.SERDE.deserializer().deserialize("t", bytes));
    }

    @Test
    void shouldStillReadTheSmileThatEarlierBuildsStored() {
        WindowState w = sample();
        byte[] smile = JsonSerde.of(WindowState.class).serializer().serialize("t", w);
        assertEquals(w, WindowState.SERDE.deserializer().deserialize("t", smile));
    }

    @Test
    void shouldKeepTheEvidenceListWhenAnItemIsTooSmallForIt() {
        WindowState full = sample();
        WindowState next = full.add("in", new EvidenceItem("clearing.payments", "TINY", 1, 3_000, null));
        // Counted, but the 20 largest are unchanged: the same list, no copy.
        assertSame(full.evidence(), next.evidence());
        assertEquals(full.count("in") + 1, next.count("in"));
    }
}
