package fundwatch.topology;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Product;
import fundwatch.topology.abnormalyield.AbnormalYieldTopology;
import fundwatch.topology.catalog.Topic;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.borrowingcap.BorrowingCapTopology;
import fundwatch.topology.custodybypass.CustodyBypassTopology;
import fundwatch.topology.fundpooling.FundPoolingTopology;
import fundwatch.topology.growth.GrowthTopology;
import fundwatch.topology.ingest.CurrencyGate;
import fundwatch.topology.ingest.EventTimeExtractor;
import fundwatch.topology.ingest.IngestProcessor;
import fundwatch.topology.ingest.Validation;
import fundwatch.topology.lookthrough.LookThroughTopology;
import fundwatch.topology.maturity.MaturityMismatchTopology;
import fundwatch.topology.paymentinstitution.PaymentInstitutionTopology;
import fundwatch.topology.payouts.PayoutsTopology;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.platformflow.PlatformLegClassifier;
import fundwatch.topology.profile.PlatformViewTopology;
import fundwatch.topology.registry.RegistryStoreWriter;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.InternalAvroSerde;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.SourcePartition;
import fundwatch.topology.support.StoreBuilders;
import fundwatch.topology.unreconciled.UnreconciledFlowTopology;
import java.time.Instant;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds fundwatch's whole topology. A pure function of its arguments: no I/O, no clients, no statics — `main`
 * and the tests call it the same way, with a REST-backed or an in-memory registry in the catalog.
 *
 * <pre>
 *  registry.* / reference.rates / fundwatch.rules ─ ingest ─ fundwatch.validated.* ─ global stores (all instances)
 *  custody.transactions ─ ingest (validate, dedup) ─ repartition by platform ──┐
 *  clearing.payments ──── ingest (validate, dedup) ─ resolve platform accounts ─┤ DetectorInputs
 *  registry.products ──── (validated) ──────────────────────────────────────────┘     │
 *        each detector package: *Topology.wire(builder, inputs) ─ findings ─ Alerts.emit ─ alerts.early-warning
 *  alerts.early-warning ─ repartition by platform ─ risk profile + latest alerts (HTTP)
 * </pre>
 * Every store, repartition topic and processor is named; {@code FundwatchTopologyTest} pins the names, since a
 * renamed store orphans its changelog.
 */
public final class FundwatchTopology {
    private FundwatchTopology() {
    }

    public static Topology build(TopicCatalog topics, TopologySettings settings, FundwatchMetrics metrics) {
        return StoreBuilders.building(settings.stateStores(), () -> wire(topics, settings, metrics));
    }

    private static Topology wire(TopicCatalog topics, TopologySettings settings, FundwatchMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Validation validation = new Validation(settings.maxFutureSkew());

        KStream<String, Product> products = registryTables(builder, topics, validation, metrics);

        // Detectors judge CNY only (CurrencyGate): the limits are yuan and the contract has no exchange rate.
        KStream<String, CustodyTransaction> custody = ingest(builder, topics.custodyTransactions(),
                CustodyTransaction.class, CustodyTransaction::getEventTime,
                IngestProcessor.rules(validation::custody, tx -> tx.getCustodianId() + "/" + tx.getEventId()),
                "custody", settings, metrics)
                .processValues(() -> new CurrencyGate<>(topics.custodyTransactions().name(),
                        CustodyTransaction::getCurrency, metrics), Named.as("custody-currency-gate"));
        KStream<String, ClearingPayment> clearing = ingest(builder, topics.clearingPayments(),
                ClearingPayment.class, ClearingPayment::getEventTime,
                IngestProcessor.rules(validation::clearing, ClearingPayment::getPaymentId),
                "clearing", settings, metrics)
                .processValues(() -> new CurrencyGate<>(topics.clearingPayments().name(),
                        ClearingPayment::getCurrency, metrics), Named.as("clearing-currency-gate"));

        KStream<String, CustodyTransaction> custodyByPlatform = custody
                .processValues(SourcePartition::stamper, Named.as("custody-stamp-source-partition"))
                .selectKey((k, tx) -> tx.getPlatformId(), Named.as("custody-key-by-platform"))
                .repartition(Repartitioned.<String, CustodyTransaction>as("custody-by-platform")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalAvroSerde.of(CustodyTransaction.class))
                        .withNumberOfPartitions(settings.internalPartitions()));

        // With the legs travel progress marks of each clearing partition (D3b needs them); every other detector
        // reads the legs without them.
        KStream<String, PlatformLeg> legsAndMarks = clearing
                .process(() -> new PlatformLegClassifier(settings.internalPartitions()),
                        Named.as("clearing-resolve-platform-accounts"))
                .repartition(Repartitioned.<String, PlatformLeg>as("clearing-platform-legs")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(PlatformLeg.class))
                        .withNumberOfPartitions(settings.internalPartitions())
                        .withStreamPartitioner(PlatformLegClassifier.partitioner()));
        KStream<String, PlatformLeg> legs = legsAndMarks.filter((k, leg) -> !leg.isProgressMark(),
                Named.as("clearing-platform-legs-without-marks"));

        // Products belong to a platform: their registrations join the platform's partition once, so every
        // product-keyed detector keeps its state beside the custody movements and nothing is repartitioned by product.
        KStream<String, Product> productsByPlatform = products
                .filter((k, p) -> p != null && p.getPlatformId() != null, Named.as("products-registered"))
                .selectKey((k, p) -> p.getPlatformId(), Named.as("products-key-by-platform"))
                .repartition(Repartitioned.<String, Product>as("products-by-platform")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalAvroSerde.of(Product.class))
                        .withNumberOfPartitions(settings.internalPartitions()));

        DetectorInputs inputs = new DetectorInputs(topics, settings, metrics, DayWindows.daily(settings.zone()),
                custody, custodyByPlatform, clearing, legs, productsByPlatform, legsAndMarks);
        CustodyBypassTopology.wire(builder, inputs);
        UnreconciledFlowTopology.wire(builder, inputs);
        AbnormalYieldTopology.wire(builder, inputs);
        GrowthTopology.wire(builder, inputs);
        BorrowingCapTopology.wire(builder, inputs);
        PayoutsTopology.wire(builder, inputs);
        KStream<String, fundwatch.topology.fundpooling.HubLeg> payeeInflow = FundPoolingTopology.wire(builder, inputs);
        if (settings.lookThrough()) {
            LookThroughTopology.wire(builder, inputs, payeeInflow);
        }
        MaturityMismatchTopology.wire(builder, inputs);
        PaymentInstitutionTopology.wire(builder, inputs);
        PlatformViewTopology.wire(builder, topics, settings.internalPartitions());
        return builder.build();
    }

    private static <V> KStream<String, V> ingest(StreamsBuilder builder, Topic<String, V> topic, Class<V> type,
            Function<V, Instant> eventTime, IngestProcessor.Rules<V> rules, String name, TopologySettings settings,
            FundwatchMetrics metrics) {
        // Retention covers a copy arriving a full dedup span after (or before) the first one.
        String dedupStore = name + "-dedup-store";
        StoreBuilder<WindowStore<String, Long>> store = StoreBuilders.changelogged(Stores.windowStoreBuilder(
                StoreBuilders.windowSupplier(dedupStore, settings.dedupSpan().multipliedBy(2), settings.dedupSpan()),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(store);
        KStream<String, V> source = builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(type, eventTime))
                        .withName(name + "-source"));
        return source.processValues(
                () -> new IngestProcessor<>(topic.name(), rules, dedupStore, metrics),
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
                fundwatch.avro.DetectorRule::getUpdatedAt, IngestProcessor.keyedRules(validation::rule),
                "registry-rules", RuleBook.STORE, metrics);
        return products;
    }

    private static <V extends SpecificRecord> KStream<String, V> registry(StreamsBuilder builder, TopicCatalog topics,
            Topic<String, V> topic, Class<V> type, Function<V, Instant> time, IngestProcessor.BiConsumerWithTime<V> validator, String name,
            String storeName, FundwatchMetrics metrics) {
        return registry(builder, topics, topic, type, time, IngestProcessor.rules(validator, null), name, storeName,
                metrics);
    }

    private static <V extends SpecificRecord> KStream<String, V> registry(StreamsBuilder builder, TopicCatalog topics,
            Topic<String, V> topic, Class<V> type, Function<V, Instant> time, IngestProcessor.Rules<V> rules, String name,
            String storeName, FundwatchMetrics metrics) {
        // fundwatch's own copy: plain Avro, no registry subject for a topic only this build reads.
        Topic<String, V> validated = new Topic<>(topics.names().validated(topic.name()), Serdes.String(),
                InternalAvroSerde.of(type));
        KStream<String, V> source = builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withTimestampExtractor(new EventTimeExtractor<>(type, time))
                        .withName(name + "-source"));
        KStream<String, V> valid = source.processValues(() -> new IngestProcessor<>(topic.name(),
                rules, null, metrics), Named.as(name + "-ingest"));
        valid.to(validated.name(), Produced.with(validated.keySerde(), validated.valueSerde())
                .withName(name + "-validated-sink"));
        // A global store with its own writer rather than a global table: the writer tells the in-memory registry
        // views that the store changed (RegistryVersions). Global stores are never changelogged: the topic is one.
        builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(
                        StoreBuilders.timestampedKeyValueSupplier(storeName), validated.keySerde(),
                        validated.valueSerde()).withLoggingDisabled(),
                validated.name(),
                Consumed.with(validated.keySerde(), validated.valueSerde()).withName(name + "-global-source"),
                () -> new RegistryStoreWriter<>(storeName));
        return valid;
    }
}
