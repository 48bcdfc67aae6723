package fundwatch.topology.unlicensedpayment;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.alert.Alerts;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.support.StoreBuilders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/** D3e wiring: institution payments (keyed by institution id) → per institution per day → alerts. */
public final class UnlicensedPaymentTopology {
    private UnlicensedPaymentTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in, KStream<String, InstitutionPayment> byInstitution) {
        String days = "unlicensed-payment-days-store";
        builder.addStateStore(StoreBuilders.keyValue(days, WindowState.SERDE));
        KStream<String, Finding> findings = byInstitution.process(
                () -> new UnlicensedPaymentDetector(days, in.days(), in.topics().names().clearingPayments(), in.metrics()),
                Named.as("unlicensed-payment-detector"), days);
        Alerts.emit(builder, findings, "unlicensed-payment", in.topics(), in.metrics());
    }
}
