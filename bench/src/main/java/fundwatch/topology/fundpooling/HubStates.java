package fundwatch.topology.fundpooling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.topology.support.JsonSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongUnaryOperator;

/**
 * Pass-through-hub states for the JMH benchmarks. In the detector's package because {@link AccountFlows#add} is
 * package-private: the benchmark builds state the way the detector does.
 */
public final class HubStates {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HubStates() {
    }

    /** A busy merchant-like account: {@code payers} distinct payers over three days, each paying twice. */
    public static AccountFlows busyHub(int payers) {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LongUnaryOperator dayOf = t -> Instant.ofEpochMilli(t).atZone(zone).toLocalDate().toEpochDay();
        long t0 = Instant.parse("2026-11-20T02:00:00Z").toEpochMilli();
        AccountFlows flows = new AccountFlows();
        for (int i = 0; i < 2 * payers; i++) {
            long t = t0 + i * 250_000L;
            flows.add(new HubLeg("HUB", HubLeg.Direction.IN, "payer-" + (i % payers), i % 4 != 0, 10_000 + i, t,
                    "PAY-" + i), dayOf.applyAsLong(t), 1_000, dayOf, "clearing.payments");
        }
        return flows;
    }

    /** The state as builds before {@code exactPacked} wrote it: JSON text, each side's counterparties a map. */
    public static byte[] asLegacyJson(byte[] stored) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(JsonSerde.toJson(stored));
        for (String side : new String[] {"payers", "payees"}) {
            ObjectNode node = (ObjectNode) root.get(side);
            ObjectNode exact = JSON.createObjectNode();
            var rows = node.get("exactPacked");
            for (int i = 0; i < rows.get(0).size(); i++) {
                exact.putObject(rows.get(0).get(i).asText())
                        .put("last", rows.get(1).get(i).asLong())
                        .put("prev", rows.get(2).get(i).asLong())
                        .put("individual", rows.get(3).get(i).asLong() != 0);
            }
            node.remove("exactPacked");
            node.set("exact", exact);
        }
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }
}
