package fundwatch.topology.clearingbypass;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** D3d wiring: institution payments (keyed by institution id) → per institution per day → alerts. */
public final class ClearingBypassTopology {
    private ClearingBypassTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in, KStream<String, InstitutionPayment> byInstitution) {
        String days = "clearing-bypass-days-store";
        builder.addStateStore(StoreBuilders.keyValue(days, WindowState.SERDE));
        KStream<String, Finding> findings = byInstitution.process(
                () -> new ClearingBypassDetector(days, in.days(), in.topics().names().clearingPayments(), in.metrics()),
                Named.as("clearing-bypass-detector"), days);
        Alerts.emit(builder, findings, "clearing-bypass", in.topics(), in.metrics());
    }
}
