package fundwatch.topology.fundpooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.topology.support.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The hub detector's state survives the store: exact counterparties with their timing, sketches, and old JSON. */
class AccountFlowsSerdeTest {
    private static final LongUnaryOperator DAY_OF = t -> Instant.ofEpochMilli(t).atZone(ZoneId.of("Asia/Shanghai"))
            .toLocalDate().toEpochDay();
    private static final long T0 = Instant.parse("2026-11-20T02:00:00Z").toEpochMilli();
    private final JsonSerde<AccountFlows> serde = JsonSerde.of(AccountFlows.class);

    @Test
    void shouldKeepEveryExactCounterpartyWithItsTimingAndType() {
        // Given payers, some paying twice (a previous time to keep) and some individuals, and a payee
        AccountFlows flows = new AccountFlows();
        for (int i = 0; i < 300; i++) {
            flows.add(new HubLeg("HUB", HubLeg.Direction.IN, "payer-" + (i % 200), i % 3 == 0, 10_000 + i,
                    T0 + i * 60_000L, "PAY-" + i), DAY_OF.applyAsLong(T0), 1_000, DAY_OF, "clearing.payments");
        }
        flows.add(new HubLeg("HUB", HubLeg.Direction.OUT, "payee-1", true, 5_000, T0 + 400 * 60_000L, "PAY-X"),
                DAY_OF.applyAsLong(T0), 1_000, DAY_OF, "clearing.payments");

        AccountFlows back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", flows));

        // Then the exact sides come back entry for entry
        assertEquals(200, back.payers.exact.size());
        flows.payers.exact.forEach((hash, seen) -> {
            CounterpartySide.Seen b = back.payers.exact.get(hash);
            assertEquals(seen.last, b.last);
            assertEquals(seen.prev, b.prev);
            assertEquals(seen.individual, b.individual);
        });
        assertEquals(1, back.payees.exact.size());
        long day = DAY_OF.applyAsLong(T0);
        long now = T0 + 400 * 60_000L;
        assertEquals(flows.payers.distinct(day, day, now, 0, 3_600_000L, DAY_OF),
                back.payers.distinct(day, day, now, 0, 3_600_000L, DAY_OF));
        assertEquals(flows.sumIn(day, day), back.sumIn(day, day));
        assertEquals(flows.evidence, back.evidence);
    }

    @Test
    void shouldKeepASketchedSideSketched() {
        AccountFlows flows = new AccountFlows();
        for (int i = 0; i < 50; i++) {
            flows.add(new HubLeg("HUB", HubLeg.Direction.IN, "payer-" + i, true, 10_000, T0 + i, "PAY-" + i),
                    DAY_OF.applyAsLong(T0), 10, DAY_OF, "clearing.payments");
        }
        assertFalse(flows.payers.isExact());
        AccountFlows back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", flows));
        assertNull(back.payers.exact);
        long day = DAY_OF.applyAsLong(T0);
        assertEquals(flows.payers.distinct(day, day, T0, 0, 0, DAY_OF), back.payers.distinct(day, day, T0, 0, 0, DAY_OF));
        assertTrue(back.payees.isExact());
    }

    @Test
    void shouldReadStateWrittenAsJsonWithTheExactMapByEarlierBuilds() {
        // Given a side as the JSON serde of earlier builds wrote it: hash → when seen
        String legacy = "{\"days\":{},\"payers\":{\"exact\":{\"42\":{\"last\":1000,\"prev\":500,"
                + "\"individual\":true}},\"sketch\":null,\"individualSketch\":null},"
                + "\"payees\":{\"exact\":{},\"sketch\":null,\"individualSketch\":null},"
                + "\"evidence\":[],\"episodes\":{},\"lastEventTime\":1000}";
        AccountFlows back = serde.deserializer().deserialize("t", legacy.getBytes(StandardCharsets.UTF_8));
        CounterpartySide.Seen seen = back.payers.exact.get(42L);
        assertEquals(1000, seen.last);
        assertEquals(500, seen.prev);
        assertTrue(seen.individual);
        assertTrue(back.payees.exact.isEmpty());
    }
}
