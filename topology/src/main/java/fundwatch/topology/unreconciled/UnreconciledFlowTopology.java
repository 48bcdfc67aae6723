package fundwatch.topology.unreconciled;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.TxType;
import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.platformflow.PlatformLeg;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.StoreBuilders;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * D3b wiring: clearing legs on custody accounts and custody deposits/withdrawals, both already keyed by
 * platform on equally partitioned repartition topics, merged into one reconciliation per platform.
 */
public final class UnreconciledFlowTopology {
    private UnreconciledFlowTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        Set<AccountPurpose> custodyAccounts = Set.of(AccountPurpose.CUSTODY_MASTER, AccountPurpose.CUSTODY_SUB_ACCOUNT);
        String clearingTopic = in.topics().names().clearingPayments();
        String custodyTopic = in.topics().names().custodyTransactions();
        // Every leg goes in: those on custody accounts are matched, all of them (and the clearing partitions'
        // progress marks) move the clearing input's progress.
        KStream<String, ReconItem> fromClearing = in.platformLegsWithProgress()
                .mapValues(leg -> new ReconItem(leg.platformId(),
                        leg.isProgressMark() || !custodyAccounts.contains(leg.purpose())
                                || leg.counterpartyOfSamePlatform()
                                ? ReconItem.Kind.CLEARING_PROGRESS
                                : leg.direction() == PlatformLeg.Direction.IN ? ReconItem.Kind.CLEARING_IN
                                : ReconItem.Kind.CLEARING_OUT,
                        leg.amountMinor(), leg.eventTime(), leg.paymentId(), clearingTopic, leg.counterpartyId()),
                        Named.as("unreconciled-leg-to-item"));
        // Every custody movement goes in too: deposits and withdrawals are matched, all move the custody progress.
        KStream<String, ReconItem> fromCustody = in.custodyByPlatform()
                .mapValues(tx -> new ReconItem(tx.getPlatformId(),
                        tx.getType() == TxType.DEPOSIT ? ReconItem.Kind.CUSTODY_DEPOSIT
                                : tx.getType() == TxType.WITHDRAWAL ? ReconItem.Kind.CUSTODY_WITHDRAWAL
                                : ReconItem.Kind.CUSTODY_PROGRESS,
                        tx.getAmountMinor(), tx.getEventTime().toEpochMilli(), tx.getEventId(), custodyTopic,
                        tx.getType() == TxType.DEPOSIT ? tx.getCreditPartyId() : tx.getDebitPartyId()),
                        Named.as("unreconciled-tx-to-item"));

        String pending = "unreconciled-pending-buckets-store";
        String expiry = "unreconciled-expiry-store";
        String windows = "unreconciled-windows-store";
        builder.addStateStore(StoreBuilders.keyValue(pending, BinaryCodec.serde(ReconBucket.FORMAT)));
        builder.addStateStore(StoreBuilders.keyValue(expiry, Serdes.String()));
        builder.addStateStore(StoreBuilders.keyValue(windows, WindowState.SERDE));
        KStream<String, Finding> findings = fromClearing
                .merge(fromCustody, Named.as("unreconciled-merge"))
                .process(() -> new ReconciliationProcessor(pending, expiry, windows, in.days(), in.metrics()),
                        Named.as("unreconciled-flow-detector"), pending, expiry, windows);
        Alerts.emit(builder, findings, "unreconciled-flow", in.topics(), in.metrics());
    }
}
