package fundwatch.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.WindowState;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
    private final JsonSerde<EvidenceItem> serde = JsonSerde.of(EvidenceItem.class);
    private final EvidenceItem item = new EvidenceItem("clearing.payments", "PAY-1", 1_250_000, 1_764_300_000_000L,
            "ACC-9");

    @Test
    void shouldWriteSmileAndReadItBack() {
        byte[] bytes = serde.serializer().serialize("t", item);
        assertTrue(JsonSerde.isSmile(bytes), "written with Smile's header");
        assertEquals(item, serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void shouldStillReadJsonTextWrittenByEarlierBuilds() {
        // Given state as the JSON serde of earlier builds wrote it, with a field this build does not know
        byte[] legacy = ("{\"topic\":\"clearing.payments\",\"eventId\":\"PAY-1\",\"amountMinor\":1250000,"
                + "\"eventTime\":1764300000000,\"counterpartyId\":\"ACC-9\",\"addedLater\":true}")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(JsonSerde.isSmile(legacy));
        // Then it loads to the same value
        assertEquals(item, serde.deserializer().deserialize("t", legacy));
    }

    @Test
    void shouldRoundTripDetectorStateSmallerThanJsonText() throws Exception {
        // Given a detector window at its evidence cap
        WindowState window = WindowState.empty("P-001", 1_764_288_000_000L, 1_764_374_400_000L);
        for (int i = 0; i < WindowState.MAX_EVIDENCE; i++) {
            window = window.add(i % 2 == 0 ? "in" : "out", new EvidenceItem("custody.transactions", "TX-" + i,
                    10_000L * (i + 1), 1_764_300_000_000L + i, "P-" + i));
        }
        JsonSerde<WindowState> windows = JsonSerde.of(WindowState.class);
        byte[] smile = windows.serializer().serialize("t", window);
        String json = JsonSerde.toJson(smile);
        // Then it reads back equal, and is smaller than the same data as JSON text
        assertEquals(window, windows.deserializer().deserialize("t", smile));
        assertTrue(smile.length < json.getBytes(StandardCharsets.UTF_8).length,
                smile.length + " bytes of Smile vs " + json.length() + " of JSON");
    }

    @Test
    void shouldPassNullsThroughAndRefuseGarbage() {
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", new byte[] {':', ')', '\n', 0, 1, 2, 3}));
    }
}
