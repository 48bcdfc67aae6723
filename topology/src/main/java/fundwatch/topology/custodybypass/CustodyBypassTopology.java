package fundwatch.topology.custodybypass;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** D3a wiring: platform legs → daily bypass windows per platform → alerts. */
public final class CustodyBypassTopology {
    private CustodyBypassTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        String windows = "custody-bypass-windows-store";
        builder.addStateStore(StoreBuilders.keyValue(windows, WindowState.SERDE));
        KStream<String, Finding> findings = in.platformLegsWithProgress().process(
                () -> new CustodyBypassDetector(windows, in.days(), in.metrics()), Named.as("custody-bypass-detector"),
                windows);
        Alerts.emit(builder, findings, "custody-bypass", in.topics(), in.metrics());
    }
}
