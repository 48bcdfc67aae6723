package fundwatch.topology;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.Product;
import fundwatch.topology.abnormalyield.DeclaredYieldDetector;
import fundwatch.topology.abnormalyield.ProductTerms;
import fundwatch.topology.abnormalyield.YieldCheck;
import org.apache.kafka.streams.KeyValue;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.TxType;
import fundwatch.topology.alert.AlertLifecycleProcessor;
import fundwatch.topology.alert.AlertState;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.catalog.Topic;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.custodybypass.CustodyBypassDetector;
import fundwatch.topology.ingest.EventTimeExtractor;
import fundwatch.topology.ingest.IngestProcessor;
import fundwatch.topology.ingest.Validation;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.platformflow.PlatformLegClassifier;
import fundwatch.topology.profile.PlatformViewProcessor;
import fundwatch.topology.profile.RiskProfile;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.InternalAvroSerde;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.unreconciled.ReconItem;
import fundwatch.topology.unreconciled.ReconciliationProcessor;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds fundwatch's whole topology. A pure function of its arguments: no I/O, no clients, no statics — `main`
 * and the tests call it the same way, with a REST-backed or an in-memory registry in the catalog.
 *
 * <pre>
 *  custody.transactions ─ ingest ─ repartition by platform ─────────────────────────┐
 *  clearing.payments ──── ingest ─ resolve platform accounts ─ repartition ─ D3a    ├─ D3b ─ alerts.early-warning
 *                                                                           └──────┘
 *  registry.* / reference.rates / fundwatch.rules ─ ingest ─ fundwatch.validated.* ─ global stores
 * </pre>
 * Every store, repartition topic and processor is named; {@code FundwatchTopologyTest} pins the names, since a
 * renamed store orphans its changelog.
 */
public final class FundwatchTopology {
    private FundwatchTopology() {
    }

    public static Topology build(TopicCatalog topics, TopologySettings settings, FundwatchMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Validation validation = new Validation(settings.maxFutureSkew());
        DayWindows days = DayWindows.daily(settings.zone());

        KStream<String, Product> products = registryTables(builder, topics, validation, metrics);

        KStream<String, CustodyTransaction> custody = ingest(builder, topics.custodyTransactions(),
                CustodyTransaction.class, CustodyTransaction::getEventTime,
                IngestProcessor.rules(validation::custody, tx -> tx.getCustodianId() + "/" + tx.getEventId()),
                "custody", settings, metrics);
        KStream<String, ClearingPayment> clearing = ingest(builder, topics.clearingPayments(),
                ClearingPayment.class, ClearingPayment::getEventTime,
                IngestProcessor.rules(validation::clearing, ClearingPayment::getPaymentId),
                "clearing", settings, metrics);

        KStream<String, CustodyTransaction> custodyByPlatform = custody
                .selectKey((k, tx) -> tx.getPlatformId(), Named.as("custody-key-by-platform"))
                .repartition(Repartitioned.<String, CustodyTransaction>as("custody-by-platform")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalAvroSerde.of(CustodyTransaction.class))
                        .withNumberOfPartitions(settings.internalPartitions()));

        KStream<String, PlatformLeg> legs = clearing
                .process(PlatformLegClassifier::new, Named.as("clearing-resolve-platform-accounts"))
                .repartition(Repartitioned.<String, PlatformLeg>as("clearing-platform-legs")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(PlatformLeg.class))
                        .withNumberOfPartitions(settings.internalPartitions()));

        custodyBypass(builder, legs, topics, days, metrics);
        unreconciledFlow(builder, custodyByPlatform, legs, topics, days, metrics);
        abnormalYield(builder, products, custodyByPlatform, topics, settings, metrics);
        platformView(builder, topics, settings);
        return builder.build();
    }

    private static void custodyBypass(StreamsBuilder builder, KStream<String, PlatformLeg> legs,
            TopicCatalog topics, DayWindows days, FundwatchMetrics metrics) {
        String windows = "custody-bypass-windows-store";
        builder.addStateStore(keyValueStore(windows, JsonSerde.of(WindowState.class)));
        KStream<String, Finding> findings = legs.process(
                () -> new CustodyBypassDetector(windows, days, metrics), Named.as("custody-bypass-detector"),
                windows);
        emitAlerts(builder, findings, "custody-bypass", topics, metrics);
    }

    private static void unreconciledFlow(StreamsBuilder builder, KStream<String, CustodyTransaction> custody,
            KStream<String, PlatformLeg> legs, TopicCatalog topics, DayWindows days, FundwatchMetrics metrics) {
        Set<AccountPurpose> custodyAccounts = Set.of(AccountPurpose.CUSTODY_MASTER, AccountPurpose.CUSTODY_SUB_ACCOUNT);
        KStream<String, ReconItem> fromClearing = legs
                .filter((k, leg) -> custodyAccounts.contains(leg.purpose()) && !leg.counterpartyOfSamePlatform(),
                        Named.as("unreconciled-custody-account-legs"))
                .mapValues(leg -> new ReconItem(leg.platformId(),
                        leg.direction() == PlatformLeg.Direction.IN ? ReconItem.Kind.CLEARING_IN
                                : ReconItem.Kind.CLEARING_OUT,
                        leg.amountMinor(), leg.eventTime(), leg.paymentId(), topics.names().clearingPayments(),
                        leg.counterpartyId()), Named.as("unreconciled-leg-to-item"));
        KStream<String, ReconItem> fromCustody = custody
                .filter((k, tx) -> tx.getType() == TxType.DEPOSIT || tx.getType() == TxType.WITHDRAWAL,
                        Named.as("unreconciled-deposits-withdrawals"))
                .mapValues(tx -> new ReconItem(tx.getPlatformId(),
                        tx.getType() == TxType.DEPOSIT ? ReconItem.Kind.CUSTODY_DEPOSIT
                                : ReconItem.Kind.CUSTODY_WITHDRAWAL,
                        tx.getAmountMinor(), tx.getEventTime().toEpochMilli(), tx.getEventId(),
                        topics.names().custodyTransactions(),
                        tx.getType() == TxType.DEPOSIT ? tx.getCreditPartyId() : tx.getDebitPartyId()),
                        Named.as("unreconciled-tx-to-item"));

        String pending = "unreconciled-pending-store";
        String expiry = "unreconciled-expiry-store";
        String windows = "unreconciled-windows-store";
        builder.addStateStore(keyValueStore(pending, JsonSerde.of(ReconItem.class)));
        builder.addStateStore(keyValueStore(expiry, Serdes.String()));
        builder.addStateStore(keyValueStore(windows, JsonSerde.of(WindowState.class)));
        KStream<String, Finding> findings = fromClearing
                .merge(fromCustody, Named.as("unreconciled-merge"))
                .process(() -> new ReconciliationProcessor(pending, expiry, windows, days, metrics),
                        Named.as("unreconciled-flow-detector"), pending, expiry, windows);
        emitAlerts(builder, findings, "unreconciled-flow", topics, metrics);
    }

    /**
     * D4a: product registrations and first investments, both keyed by product so one task owns each product's
     * alert. Each side is repartitioned on its own (same partition count) and merged after, so the custody and
     * registry inputs never have to be co-partitioned.
     */
    private static void abnormalYield(StreamsBuilder builder, KStream<String, Product> products,
            KStream<String, CustodyTransaction> custody, TopicCatalog topics, TopologySettings settings,
            FundwatchMetrics metrics) {
        KStream<String, YieldCheck> registrations = products
                .filter((k, p) -> p != null, Named.as("abnormal-yield-registrations"))
                .map((k, p) -> KeyValue.pair(p.getProductId(), new YieldCheck(p.getProductId(),
                        YieldCheck.Trigger.REGISTRATION, p.getIssuedAt().toEpochMilli(), p.getProductId(),
                        p.getTargetAmountMinor(), null, ProductTerms.of(p))), Named.as("abnormal-yield-registration-check"))
                .repartition(Repartitioned.<String, YieldCheck>as("yield-checks-registrations")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(YieldCheck.class))
                        .withNumberOfPartitions(settings.internalPartitions()));
        KStream<String, YieldCheck> investments = custody
                .filter((k, tx) -> tx.getType() == TxType.INVEST && tx.getProductId() != null,
                        Named.as("abnormal-yield-investments"))
                .map((k, tx) -> KeyValue.pair(tx.getProductId(), new YieldCheck(tx.getProductId(),
                        YieldCheck.Trigger.INVESTMENT, tx.getEventTime().toEpochMilli(), tx.getEventId(),
                        tx.getAmountMinor(), tx.getDebitPartyId(), null)), Named.as("abnormal-yield-investment-check"))
                .repartition(Repartitioned.<String, YieldCheck>as("yield-checks-investments")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(YieldCheck.class))
                        .withNumberOfPartitions(settings.internalPartitions()));
        String funded = "abnormal-yield-funded-store";
        builder.addStateStore(keyValueStore(funded, Serdes.Long()));
        KStream<String, Finding> findings = registrations
                .merge(investments, Named.as("abnormal-yield-merge"))
                .process(() -> new DeclaredYieldDetector(funded), Named.as("abnormal-yield-detector"), funded);
        emitAlerts(builder, findings, "abnormal-yield", topics, metrics);
    }

    /**
     * Reads the committed alert topic back, keyed by platform, into the stores behind GET /platforms/{id} and
     * GET /alerts: each alert's latest revision and each platform's combined risk profile.
     */
    private static void platformView(StreamsBuilder builder, TopicCatalog topics, TopologySettings settings) {
        Topic<String, FundFlowAlert> alerts = topics.alerts();
        builder.addStateStore(keyValueStore(PlatformViewProcessor.PROFILE_STORE, JsonSerde.of(RiskProfile.class)));
        builder.addStateStore(keyValueStore(PlatformViewProcessor.ALERTS_STORE,
                InternalAvroSerde.of(FundFlowAlert.class)));
        builder.stream(alerts.name(), Consumed.with(alerts.keySerde(), alerts.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(FundFlowAlert.class,
                                FundFlowAlert::getLastEventTime))
                        .withName("platform-view-source"))
                .selectKey((k, a) -> a.getPlatformId() == null ? PlatformViewProcessor.NO_PLATFORM : a.getPlatformId(),
                        Named.as("platform-view-key-by-platform"))
                .repartition(Repartitioned.<String, FundFlowAlert>as("platform-view-alerts")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalAvroSerde.of(FundFlowAlert.class))
                        .withNumberOfPartitions(settings.internalPartitions()))
                .process(() -> new PlatformViewProcessor(PlatformViewProcessor.PROFILE_STORE,
                                PlatformViewProcessor.ALERTS_STORE), Named.as("platform-view"),
                        PlatformViewProcessor.PROFILE_STORE, PlatformViewProcessor.ALERTS_STORE);
    }

    /** Every detector's findings go through its own lifecycle store to the one alert topic. */
    private static void emitAlerts(StreamsBuilder builder, KStream<String, Finding> findings, String prefix,
            TopicCatalog topics, FundwatchMetrics metrics) {
        String store = prefix + "-alert-lifecycle-store";
        builder.addStateStore(keyValueStore(store, JsonSerde.of(AlertState.class)));
        Topic<String, FundFlowAlert> alerts = topics.alerts();
        findings.process(() -> new AlertLifecycleProcessor(store, metrics), Named.as(prefix + "-alert-lifecycle"),
                        store)
                .to(alerts.name(), Produced.with(alerts.keySerde(), alerts.valueSerde())
                        .withName(prefix + "-alerts-sink"));
    }

    private static <V> KStream<String, V> ingest(StreamsBuilder builder, Topic<String, V> topic, Class<V> type,
            Function<V, Instant> eventTime, IngestProcessor.Rules<V> rules, String name, TopologySettings settings,
            FundwatchMetrics metrics) {
        // Retention covers a copy arriving a full dedup span after (or before) the first one.
        String dedupStore = name + "-dedup-store";
        StoreBuilder<WindowStore<String, Long>> store = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(dedupStore, settings.dedupSpan().multipliedBy(2),
                        settings.dedupSpan(), false),
                Serdes.String(), Serdes.Long());
        builder.addStateStore(store);
        KStream<String, V> source = builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(type, eventTime))
                        .withName(name + "-source"));
        return source.processValues(
                () -> new IngestProcessor<>(topic.name(), rules, dedupStore, settings.dedupSpan(), metrics),
                Named.as(name + "-ingest"), dedupStore);
    }

    /**
     * Registry topics are validated like any input (bad records to the DLQ), written to fundwatch's validated
     * copies, and loaded from there into global stores that every instance holds in full.
     */
    /** @return the validated product registrations, which the product detectors also react to */
    private static KStream<String, fundwatch.avro.Product> registryTables(StreamsBuilder builder, TopicCatalog topics,
            Validation validation, FundwatchMetrics metrics) {
        registry(builder, topics, topics.platforms(), fundwatch.avro.Platform.class,
                fundwatch.avro.Platform::getRegisteredAt, validation::platform, "registry-platforms",
                RegistryView.PLATFORMS_STORE, metrics);
        registry(builder, topics, topics.accounts(), fundwatch.avro.AccountRegistration.class, a -> null,
                validation::account, "registry-accounts", RegistryView.ACCOUNTS_STORE, metrics);
        KStream<String, fundwatch.avro.Product> products = registry(builder, topics, topics.products(),
                fundwatch.avro.Product.class,
                fundwatch.avro.Product::getIssuedAt, validation::product, "registry-products",
                RegistryView.PRODUCTS_STORE, metrics);
        registry(builder, topics, topics.rates(), fundwatch.avro.BenchmarkRate.class,
                fundwatch.avro.BenchmarkRate::getEffectiveFrom, validation::rate, "registry-rates",
                RegistryView.RATES_STORE, metrics);
        registry(builder, topics, topics.rules(), fundwatch.avro.DetectorRule.class,
                fundwatch.avro.DetectorRule::getUpdatedAt, validation::rule, "registry-rules", RuleBook.STORE,
                metrics);
        return products;
    }

    private static <V extends SpecificRecord> KStream<String, V> registry(StreamsBuilder builder, TopicCatalog topics,
            Topic<String, V> topic, Class<V> type, Function<V, Instant> time, IngestProcessor.BiConsumerWithTime<V> validator, String name,
            String storeName, FundwatchMetrics metrics) {
        // fundwatch's own copy: plain Avro, no registry subject for a topic only this build reads.
        Topic<String, V> validated = new Topic<>(topics.names().validated(topic.name()), Serdes.String(),
                InternalAvroSerde.of(type));
        KStream<String, V> source = builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(type, time))
                        .withName(name + "-source"));
        KStream<String, V> valid = source.processValues(() -> new IngestProcessor<>(topic.name(),
                IngestProcessor.rules(validator, null), null, null, metrics), Named.as(name + "-ingest"));
        valid.to(validated.name(), Produced.with(validated.keySerde(), validated.valueSerde())
                .withName(name + "-validated-sink"));
        builder.globalTable(validated.name(),
                Consumed.with(validated.keySerde(), validated.valueSerde()).withName(name + "-global-source"),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(storeName)
                        .withKeySerde(validated.keySerde()).withValueSerde(validated.valueSerde()));
        return valid;
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> keyValueStore(String name,
            org.apache.kafka.common.serialization.Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
