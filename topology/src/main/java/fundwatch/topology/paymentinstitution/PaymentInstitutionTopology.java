package fundwatch.topology.paymentinstitution;

import fundwatch.topology.DetectorInputs;
import fundwatch.topology.clearingbypass.ClearingBypassTopology;
import fundwatch.topology.reservemisuse.ReserveMisuseTopology;
import fundwatch.topology.unlicensedpayment.UnlicensedPaymentTopology;
import fundwatch.topology.support.BinaryCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * D3c–D3e, payment institutions (第三方支付业务). D3c reads the platform legs: a reserve account is registered to
 * its institution, so its outflow is already keyed by the institution. D3d and D3e count payments per institution
 * id, which clearing.payments (keyed by payer account) does not group: the payments that name an institution and
 * that one of them counts are judged where they are read and moved by one repartition, keyed by the institution id,
 * with the clearing partitions' progress marks (D3d and D3e close their days on them; the detectors ignore the marks
 * otherwise).
 */
public final class PaymentInstitutionTopology {
    private PaymentInstitutionTopology() {
    }

    public static void wire(StreamsBuilder builder, DetectorInputs in) {
        ReserveMisuseTopology.wire(builder, in);
        KStream<String, InstitutionPayment> byInstitution = in.clearing()
                .process(() -> new InstitutionPaymentClassifier(in.settings().internalPartitions()),
                        Named.as("payment-institution-classify"))
                .repartition(Repartitioned.<String, InstitutionPayment>as("payment-institution-payments")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(BinaryCodec.serde(InstitutionPayment.FORMAT))
                        .withNumberOfPartitions(in.settings().internalPartitions())
                        .withStreamPartitioner(InstitutionPaymentClassifier.partitioner()));
        ClearingBypassTopology.wire(builder, in, byInstitution);
        UnlicensedPaymentTopology.wire(builder, in, byInstitution);
    }
}
