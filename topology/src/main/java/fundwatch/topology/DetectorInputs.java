package fundwatch.topology;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.Product;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.support.DayWindows;
import fundwatch.topology.support.FundwatchMetrics;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The validated, de-duplicated streams every detector builds on, created once by {@link FundwatchTopology}.
 * Each detector package wires itself from these (its {@code *Topology.wire}), so adding a detector touches
 * no other detector.
 *
 * @param custodyByPlatform custody movements, repartitioned by platform
 * @param clearing          clearing payments as consumed (keyed by payer account)
 * @param platformLegs      sides of clearing payments that touch a platform's registered accounts, by platform
 * @param products          product registrations as consumed (keyed by product; null values are deletions)
 */
public record DetectorInputs(
        TopicCatalog topics,
        TopologySettings settings,
        FundwatchMetrics metrics,
        DayWindows days,
        KStream<String, CustodyTransaction> custodyByPlatform,
        KStream<String, ClearingPayment> clearing,
        KStream<String, PlatformLeg> platformLegs,
        KStream<String, Product> products) {
}
