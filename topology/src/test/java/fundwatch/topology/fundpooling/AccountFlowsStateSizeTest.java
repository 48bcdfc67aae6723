package fundwatch.topology.fundpooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.topology.support.JsonSerde;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The memory bound: a hub's state stays small however many distinct counterparties it has. */
class AccountFlowsStateSizeTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LongUnaryOperator DAY_OF = t -> Instant.ofEpochMilli(t).atZone(ZONE).toLocalDate()
            .toEpochDay();

    @Test
    void shouldKeepOneHubWithAMillionDistinctPayersInBoundedState() {
        // Given a hub receiving from 1,000,000 distinct individuals over 7 days
        AccountFlows flows = new AccountFlows();
        long t0 = Instant.parse("2026-11-20T02:00:00Z").toEpochMilli();
        int payers = 1_000_000;
        for (int i = 0; i < payers; i++) {
            long t = t0 + (long) i * (7L * 86_400_000L / payers);
            flows.add(new HubLeg("HUB", HubLeg.Direction.IN, "payer-" + i, true, 10_000, t, "PAY-" + i),
                    DAY_OF.applyAsLong(t), 1_000, DAY_OF, "clearing.payments");
        }
        // Then its distinct count is a sketch estimate, and its serialized state is a few sketches, not a million ids
        long today = DAY_OF.applyAsLong(t0 + 7L * 86_400_000L);
        assertFalse(flows.payers.isExact());
        double estimate = flows.payers.distinct(today - 7, today, t0 + 7L * 86_400_000L, 0, 0, DAY_OF);
        assertEquals(payers, estimate, payers * 0.04);
        int bytes = JsonSerde.of(AccountFlows.class).serializer().serialize("t", flows).length;
        System.out.printf("state of one hub with %,d distinct payers: %,d bytes serialized (estimate %.0f)%n",
                payers, bytes, estimate);
        assertTrue(bytes < 200_000, "state is " + bytes + " bytes");
        // And it reads back to the same estimate
        AccountFlows back = JsonSerde.of(AccountFlows.class).deserializer().deserialize("t",
                JsonSerde.of(AccountFlows.class).serializer().serialize("t", flows));
        assertEquals(estimate, back.payers.distinct(today - 7, today, t0 + 7L * 86_400_000L, 0, 0, DAY_OF));
    }

    @Test
    void shouldCountExactlyBelowTheCap() {
        AccountFlows flows = new AccountFlows();
        long t0 = Instant.parse("2026-11-20T02:00:00Z").toEpochMilli();
        for (int i = 0; i < 1_000; i++) {
            flows.add(new HubLeg("HUB", HubLeg.Direction.IN, "payer-" + (i % 999), true, 10_000, t0 + i, "P" + i),
                    DAY_OF.applyAsLong(t0), 1_000, DAY_OF, "clearing.payments");
        }
        assertTrue(flows.payers.isExact());
        long day = DAY_OF.applyAsLong(t0);
        assertEquals(999, flows.payers.distinct(day, day, t0 + 1_000, 0, 0, DAY_OF));
    }
}
