package fundwatch.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.avro.Evidence;
import fundwatch.avro.FundFlowAlert;
import fundwatch.topology.lookthrough.Hop;
import fundwatch.topology.lookthrough.Holding;
import fundwatch.topology.lookthrough.OriginKind;
import fundwatch.topology.lookthrough.TraceKeys;
import fundwatch.topology.lookthrough.TracedCredit;
import fundwatch.topology.rules.DetectorDefaults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The look-through answers (DETECTION.md D8, "Queries") built from the tracing's stores: pure functions of the stores
 * they are given, so a TopologyTestDriver's stores and a running instance's give the same JSON.
 */
public final class TraceJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long DEFAULT_HORIZON_MILLIS = Math.round(
            DetectorDefaults.of(DetectorDefaults.LOOK_THROUGH).get("horizonHours") * 3_600_000d);

    private TraceJson() {
    }

    /**
     * {@code GET /trace/accounts/{id}}: what traced money the account holds now (not yet paid on, within the horizon
     * of its newest traced credit) and every traced credit it received within that horizon, newest first.
     */
    public static ObjectNode account(String accountId, ReadOnlyKeyValueStore<String, TracedCredit> received,
            ReadOnlyKeyValueStore<String, Holding> holdings, long horizonMillis) {
        List<TracedCredit> credits = new ArrayList<>();
        forAccount(received, accountId, credits::add);
        List<Holding> held = new ArrayList<>();
        forAccount(holdings, accountId, held::add);
        long newest = credits.stream().mapToLong(TracedCredit::eventTime).max().orElse(Long.MIN_VALUE);
        long from = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - horizonMillis;
        ObjectNode out = JSON.createObjectNode().put("accountId", accountId);
        ArrayNode h = out.putArray("holdings");
        held.stream().filter(x -> x.credit().eventTime() >= from)
                .sorted(Comparator.comparingLong((Holding x) -> x.credit().eventTime()).reversed())
                .forEach(x -> h.add(credit(x.credit(), x.remainingMinor())));
        ArrayNode r = out.putArray("received");
        credits.stream().filter(c -> c.eventTime() >= from)
                .sorted(Comparator.comparingLong(TracedCredit::eventTime).reversed())
                .forEach(c -> r.add(credit(c, c.amountMinor())));
        return out;
    }

    /** An account's entries of a bucketed store, bucket by bucket, between the store's first and last bucket. */
    private static <V> void forAccount(ReadOnlyKeyValueStore<String, V> store, String accountId,
            java.util.function.Consumer<V> sink) {
        long first;
        long last;
        try (KeyValueIterator<String, V> it = store.all()) {
            if (!it.hasNext()) {
                return;
            }
            first = TraceKeys.bucketOf(it.next().key);
        }
        try (KeyValueIterator<String, V> it = store.reverseAll()) {
            last = TraceKeys.bucketOf(it.next().key);
        }
        for (long b = first; b <= last; b++) {
            String prefix = TraceKeys.accountBucketPrefix(accountId, b);
            try (KeyValueIterator<String, V> it = store.range(prefix, TraceKeys.after(prefix))) {
                it.forEachRemaining(kv -> sink.accept(kv.value));
            }
        }
    }

    /**
     * {@code GET /alerts/{id}/trace}: for each evidence item of a D8 alert (its final payments, in the alert's order),
     * the paths back to the origin. D8a's paths are kept in its platform's task, D8b's in the final account's.
     */
    public static ObjectNode alert(FundFlowAlert alert, ReadOnlyKeyValueStore<String, TracedCredit> selfPaths,
            ReadOnlyKeyValueStore<String, TracedCredit> received) {
        ObjectNode out = JSON.createObjectNode().put("alertId", alert.getAlertId())
                .put("detector", alert.getDetector()).put("platformId", alert.getPlatformId())
                .put("subjectId", alert.getSubjectId()).put("subjectType", alert.getSubjectType().name())
                .put("revision", alert.getRevision()).put("summary", alert.getSummary());
        ArrayNode paths = out.putArray("paths");
        boolean self = DetectorDefaults.SELF_FINANCING.equals(alert.getDetector());
        for (Evidence e : alert.getEvidence()) {
            long time = e.getEventTime().toEpochMilli();
            String prefix = self ? TraceKeys.selfPathPrefix(alert.getPlatformId(), time, e.getEventId())
                    : TraceKeys.paymentPrefix(alert.getSubjectId(), time, e.getEventId());
            ReadOnlyKeyValueStore<String, TracedCredit> store = self ? selfPaths : received;
            try (KeyValueIterator<String, TracedCredit> it = store.range(prefix, TraceKeys.after(prefix))) {
                while (it.hasNext()) {
                    KeyValue<String, TracedCredit> kv = it.next();
                    TracedCredit c = kv.value;
                    if (!self && (c.originKind() != OriginKind.LOAN
                            || !c.originPlatformId().equals(alert.getPlatformId()))) {
                        continue;
                    }
                    ObjectNode p = paths.addObject().put("evidenceEventId", e.getEventId())
                            .put("finalAccountId", c.payeeAccountId());
                    origin(p, c, c.amountMinor());
                    p.set("hops", hops(c));
                }
            }
        }
        return out;
    }

    private static ObjectNode credit(TracedCredit c, long amount) {
        ObjectNode n = JSON.createObjectNode();
        origin(n, c, amount);
        n.put("hop", c.hop()).put("receivedAt", Instant.ofEpochMilli(c.eventTime()).toString())
                .put("paymentId", c.paymentId()).put("receivedAmountMinor", c.amountMinor());
        n.set("hops", hops(c));
        return n;
    }

    private static void origin(ObjectNode n, TracedCredit c, long amount) {
        n.put("originPlatformId", c.originPlatformId()).put("originKind", c.originKind().name())
                .put("borrowerPartyId", c.borrowerPartyId()).put("amountMinor", amount);
    }

    private static JsonNode hops(TracedCredit c) {
        ArrayNode hops = JSON.createArrayNode();
        int i = 1;
        for (Hop h : c.hops()) {
            hops.addObject().put("paymentId", h.paymentId()).put("payerAccountId", h.payerAccountId())
                    .put("payeeAccountId", h.payeeAccountId()).put("amountMinor", h.amountMinor())
                    .put("tracedAmountMinor", h.tracedAmountMinor())
                    .put("eventTime", Instant.ofEpochMilli(h.eventTime()).toString()).put("hop", i++);
        }
        return hops;
    }
}
