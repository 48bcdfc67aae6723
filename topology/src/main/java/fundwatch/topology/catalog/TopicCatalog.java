package fundwatch.topology.catalog;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.avro.Product;
import fundwatch.schemas.registry.SchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed topic catalog: each topic with its key and value serde, built once from config and a registry
 * client (production: REST; tests: in-memory). Immutable; no static serdes.
 */
public record TopicCatalog(
        TopicNames names,
        Topic<String, CustodyTransaction> custodyTransactions,
        Topic<String, ClearingPayment> clearingPayments,
        Topic<String, Platform> platforms,
        Topic<String, AccountRegistration> accounts,
        Topic<String, Product> products,
        Topic<String, BenchmarkRate> rates,
        Topic<String, DetectorRule> rules,
        Topic<String, FundFlowAlert> alerts,
        Topic<byte[], byte[]> deadLetters) {

    public static TopicCatalog create(TopicNames names, SchemaRegistryClient registry) {
        Serde<String> keys = Serdes.String();
        return new TopicCatalog(names,
                new Topic<>(names.custodyTransactions(), keys, AvroSerdes.forType(CustodyTransaction.class, registry)),
                new Topic<>(names.clearingPayments(), keys, AvroSerdes.forType(ClearingPayment.class, registry)),
                new Topic<>(names.platforms(), keys, AvroSerdes.forType(Platform.class, registry)),
                new Topic<>(names.accounts(), keys, AvroSerdes.forType(AccountRegistration.class, registry)),
                new Topic<>(names.products(), keys, AvroSerdes.forType(Product.class, registry)),
                new Topic<>(names.rates(), keys, AvroSerdes.forType(BenchmarkRate.class, registry)),
                new Topic<>(names.rules(), keys, AvroSerdes.forType(DetectorRule.class, registry)),
                new Topic<>(names.alerts(), keys, AvroSerdes.forType(FundFlowAlert.class, registry)),
                new Topic<>(names.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray()));
    }
}
