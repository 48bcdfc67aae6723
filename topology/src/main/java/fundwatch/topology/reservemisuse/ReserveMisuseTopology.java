package fundwatch.topology.reservemisuse;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** D3c wiring: platform legs (reserve outflows) with the clearing partitions' progress marks → per institution per day → alerts. */
public final class ReserveMisuseTopology {
    private ReserveMisuseTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        String days = "reserve-misuse-days-store";
        builder.addStateStore(StoreBuilders.keyValue(days, BinaryCodec.serde(ReserveDay.FORMAT)));
        KStream<String, Finding> findings = in.platformLegsWithProgress().process(
                () -> new ReserveMisuseDetector(days, in.days(), in.topics().names().clearingPayments(), in.metrics()),
                Named.as("reserve-misuse-detector"), days);
        Alerts.emit(builder, findings, "reserve-misuse", in.topics(), in.metrics());
    }
}
