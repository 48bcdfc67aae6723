package fundwatch.topology.lookthrough;

import fundwatch.avro.FundFlowAlert;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.AlertLifecycleProcessor;
import fundwatch.topology.alert.Episode;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.catalog.Topic;
import fundwatch.topology.fundpooling.HubLeg;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.InternalAvroSerde;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.StoreBuilders;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * D8 look-through wiring (DETECTION.md D8): traced money from the platforms through the clearing network, D8a
 * SELF_FINANCING and D8b CONCENTRATED_FINAL_USE.
 *
 * <pre>
 *  platform legs (out of CM/GEN/own) ─┐
 *  custody movements ─────────────────┼─ OriginProcessor (platform task) ─ origins ──────┐   D8a findings ─ lifecycle
 *  self arrivals (by platform) ───────┘                                                  ▼
 *  clearing.payments (payer side) ──┐                                     fundwatch.lookthrough.credits (by payee)
 *  D1c payee legs (inflow) ─────────┼─ TracingProcessor (account task) ─ carried credits ┘
 *  traced credits ◄─────────────────┘        ├─ self arrivals ─ repartition by platform ─▲
 *                                            └─ D8b findings ─ lifecycle
 * </pre>
 * Only payments that carry traced money cross to the payee (one topic, which loops: hop n's credits make hop n+1's).
 */
public final class LookThroughTopology {
    public static final String HOLDINGS_STORE = "lookthrough-holdings-store";
    public static final String OUTGOING_STORE = "lookthrough-outgoing-store";
    public static final String RECEIVED_STORE = "lookthrough-received-store";
    public static final String INFLOW_STORE = "lookthrough-inflow-store";
    public static final String CONVERGENCE_STORE = "lookthrough-convergence-store";
    public static final String CONVERGENCE_INDEX_STORE = "lookthrough-convergence-index-store";
    public static final String PENDING_STORE = "lookthrough-pending-origins-store";
    public static final String PENDING_INDEX_STORE = "lookthrough-pending-index-store";
    public static final String PLATFORMS_STORE = "lookthrough-platforms-store";
    public static final String LEDGER_PROGRESS_STORE = "lookthrough-ledger-progress-store";
    public static final String SELF_PATHS_STORE = "lookthrough-self-paths-store";
    /** The latest revision of each D8a / D8b alert by alertId, beside the state that holds its paths. */
    public static final String SELF_FINANCING_ALERTS_STORE = "lookthrough-self-financing-alerts-store";
    public static final String FINAL_USE_ALERTS_STORE = "lookthrough-final-use-alerts-store";

    static final String ORIGINS_METRIC = "fundwatch.trace.origins";
    static final String CREDITS_METRIC = "fundwatch.trace.credits";
    /** Traced credits that reached an account after it had paid on, and followed those payments. */
    static final String LATE_METRIC = "fundwatch.trace.late.credits";
    static final String PATH_HOPS_METRIC = "fundwatch.trace.path.hops";

    private LookThroughTopology() {
    }

    /** The names of the tracing's stores. */
    record Stores(String pending, String pendingIndex, String platforms, String selfPaths, String holdings,
            String outgoing, String received, String inflow, String convergence, String convergenceIndex,
            String ledgerProgress) {
        static final Stores DEFAULT = new Stores(PENDING_STORE, PENDING_INDEX_STORE, PLATFORMS_STORE, SELF_PATHS_STORE,
                HOLDINGS_STORE, OUTGOING_STORE, RECEIVED_STORE, INFLOW_STORE, CONVERGENCE_STORE,
                CONVERGENCE_INDEX_STORE, LEDGER_PROGRESS_STORE);
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in, KStream<String, HubLeg> payeeInflow) {
        Stores s = Stores.DEFAULT;
        String clearingTopic = in.topics().names().clearingPayments();
        Topic<String, TracedCredit> credits = new Topic<>(in.topics().names().traceCredits(), Serdes.String(),
                BinaryCodec.serde(TracedCredit.FORMAT));

        builder.addStateStore(StoreBuilders.keyValue(s.holdings(), BinaryCodec.serde(Holding.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(s.outgoing(), BinaryCodec.serde(Outgoing.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(s.received(), credits.valueSerde()));
        builder.addStateStore(StoreBuilders.keyValue(s.inflow(), Serdes.Long()));
        builder.addStateStore(StoreBuilders.keyValue(s.convergence(), BinaryCodec.serde(Convergence.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(s.convergenceIndex(), Serdes.String()));
        KStream<String, AccountSide> accountSide = in.clearing()
                .mapValues(AccountSide::of, Named.as("lookthrough-payer-side"))
                .merge(payeeInflow.mapValues(AccountSide::of, Named.as("lookthrough-payee-inflow")),
                        Named.as("lookthrough-account-inputs"))
                .merge(builder.stream(credits.name(), Consumed.with(credits.keySerde(), credits.valueSerde())
                                .withName("lookthrough-credits-source"))
                        .mapValues(AccountSide::of, Named.as("lookthrough-credit-side")),
                        Named.as("lookthrough-account-side"));
        KStream<String, Object> accountOut = accountSide.process(
                () -> new TracingProcessor(s, clearingTopic, in.settings().zone(), in.metrics()),
                Named.as("lookthrough-tracing"), s.holdings(), s.outgoing(), s.received(), s.inflow(),
                s.convergence(), s.convergenceIndex());
        accountOut.filter((k, v) -> v instanceof TracedCredit, Named.as("lookthrough-carried"))
                .mapValues(v -> (TracedCredit) v, Named.as("lookthrough-carried-credits"))
                .to(credits.name(), Produced.with(credits.keySerde(), credits.valueSerde())
                        .withName("lookthrough-carried-sink"));
        KStream<String, TracedCredit> selfArrivals = accountOut
                .filter((k, v) -> v instanceof SelfArrival, Named.as("lookthrough-self"))
                .mapValues(v -> ((SelfArrival) v).credit(), Named.as("lookthrough-self-arrivals"))
                .repartition(Repartitioned.<String, TracedCredit>as("lookthrough-self-arrivals-by-platform")
                        .withKeySerde(Serdes.String()).withValueSerde(credits.valueSerde())
                        .withNumberOfPartitions(in.settings().internalPartitions()));
        emit(builder, findings(accountOut, "lookthrough-final-use"), "lookthrough-final-use", FINAL_USE_ALERTS_STORE,
                in);

        builder.addStateStore(StoreBuilders.keyValue(s.pending(), BinaryCodec.serde(PendingOrigin.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(s.pendingIndex(), Serdes.String()));
        builder.addStateStore(StoreBuilders.keyValue(s.platforms(), BinaryCodec.serde(PlatformTrace.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(s.selfPaths(), credits.valueSerde()));
        builder.addStateStore(StoreBuilders.keyValue(s.ledgerProgress(), Serdes.Long()));
        KStream<String, PlatformSide> platformSide = in.platformLegs()
                .filter((k, leg) -> leg.direction() == PlatformLeg.Direction.OUT
                        && OriginProcessor.ORIGIN_ACCOUNTS.contains(leg.purpose())
                        && !leg.counterpartyOfSamePlatform(), Named.as("lookthrough-origin-legs"))
                .mapValues(PlatformSide::of, Named.as("lookthrough-origin-leg-side"))
                // Every custody movement: disbursements are matched, and all of them move the ledger's progress.
                .merge(in.custodyByPlatform().mapValues(PlatformSide::of, Named.as("lookthrough-custody-side")),
                        Named.as("lookthrough-platform-inputs"))
                .merge(selfArrivals.mapValues(PlatformSide::of, Named.as("lookthrough-arrival-side")),
                        Named.as("lookthrough-platform-side"));
        KStream<String, Object> platformOut = platformSide.process(
                () -> new OriginProcessor(s, clearingTopic, in.settings().zone(), in.metrics()),
                Named.as("lookthrough-origins"), s.pending(), s.pendingIndex(), s.platforms(), s.selfPaths(),
                s.ledgerProgress());
        platformOut.filter((k, v) -> v instanceof TracedCredit, Named.as("lookthrough-origin"))
                .mapValues(v -> (TracedCredit) v, Named.as("lookthrough-origin-credits"))
                .to(credits.name(), Produced.with(credits.keySerde(), credits.valueSerde())
                        .withName("lookthrough-origins-sink"));
        emit(builder, findings(platformOut, "lookthrough-self-financing"), "lookthrough-self-financing",
                SELF_FINANCING_ALERTS_STORE, in);
    }

    private static KStream<String, Finding> findings(KStream<String, Object> out, String prefix) {
        return out.filter((k, v) -> v instanceof Finding, Named.as(prefix + "-findings"))
                .mapValues(v -> (Finding) v, Named.as(prefix + "-finding"));
    }

    /**
     * The shared alert lifecycle ({@code Alerts.emit}), plus a store of the latest revision of each alert by id, in
     * the task that holds the alert's paths, so {@code GET /alerts/{id}/trace} reads both in one place.
     */
    private static void emit(StreamsBuilder builder, KStream<String, Finding> findings, String prefix,
            String alertStore, DetectorInputs in) {
        String lifecycle = prefix + "-alert-lifecycle-store";
        builder.addStateStore(StoreBuilders.keyValue(lifecycle, JsonSerde.of(Episode.class)));
        Serde<FundFlowAlert> alertSerde = InternalAvroSerde.of(FundFlowAlert.class);
        builder.addStateStore(StoreBuilders.keyValue(alertStore, alertSerde));
        Topic<String, FundFlowAlert> alerts = in.topics().alerts();
        findings.process(() -> new AlertLifecycleProcessor(lifecycle, in.metrics()),
                        Named.as(prefix + "-alert-lifecycle"), lifecycle)
                .processValues(() -> new AlertRecorder(alertStore), Named.as(prefix + "-alert-recorder"), alertStore)
                .to(alerts.name(), Produced.with(alerts.keySerde(), alerts.valueSerde())
                        .withName(prefix + "-alerts-sink"));
    }

    /** Deletes every entry of a bucketed store ({@link TraceKeys}) in buckets before {@code bucket}. */
    static <V> void deleteBefore(KeyValueStore<String, V> store, long bucket) {
        if (bucket <= 0) {
            return;
        }
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range("", TraceKeys.bucketPrefix(bucket))) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                old.add(kv.key);
            }
        }
        old.forEach(store::delete);
    }
}
