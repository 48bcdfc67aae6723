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
 * @param custody           custody movements as consumed (validated, de-duplicated), before any repartition
 * @param custodyByPlatform custody movements, repartitioned by platform
 * @param clearing          clearing payments as consumed (keyed by payer account)
 * @param platformLegs      sides of clearing payments that touch a platform's registered accounts, by platform
 * @param productsByPlatform product registrations, repartitioned by their platform (co-partitioned with
 *                          custodyByPlatform, so product-keyed state lives in the platform's task)
 * @param platformLegsWithProgress platformLegs with the clearing partitions' progress marks
 *                          ({@link PlatformLeg#isProgressMark}), for D3b, which must know how far each has come
 */
public record DetectorInputs(
        TopicCatalog topics,
        TopologySettings settings,
        FundwatchMetrics metrics,
        DayWindows days,
        KStream<String, CustodyTransaction> custody,
        KStream<String, CustodyTransaction> custodyByPlatform,
        KStream<String, ClearingPayment> clearing,
        KStream<String, PlatformLeg> platformLegs,
        KStream<String, Product> productsByPlatform,
        KStream<String, PlatformLeg> platformLegsWithProgress) {
}
