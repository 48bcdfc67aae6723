package fundwatch.topology.borrowingcap;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Unit test of the clearing-side filter in isolation: what crosses to the detector, with a mock context. */
class PartyTypeChangesTest {
    private final MockProcessorContext<String, BorrowingMove> context = new MockProcessorContext<>();
    private final PartyTypeChanges changes = new PartyTypeChanges();

    private List<String> forwarded() {
        return context.forwarded().stream()
                .map(f -> f.record().key() + "=" + f.record().value().partyType()).toList();
    }

    private void pay(String id, String payerParty, PartyType payerType) {
        ClearingPayment p = ClearingPayment.newBuilder(payment(id, "ACC-" + payerParty, payerType, "MERCHANT-1", 100, T0))
                .setPayerPartyId(payerParty).setPayeePartyId("pty-merchant").setPayeePartyType(PartyType.CORPORATE)
                .build();
        changes.process(new Record<>(p.getPayerAccountId(), p, T0.toEpochMilli()));
    }

    @Test
    void shouldSendEachPartysTypeOnceAndAgainOnlyWhenItChanges() {
        changes.init(context);

        // Ten payments of one person to one merchant
        for (int i = 0; i < 10; i++) {
            pay("PAY-" + i, "pty-a", PartyType.INDIVIDUAL);
        }
        assertEquals(List.of("pty-a=INDIVIDUAL", "pty-merchant=CORPORATE"), forwarded());

        // A different type for the same party crosses again
        pay("PAY-X", "pty-a", PartyType.CORPORATE);
        assertEquals(List.of("pty-a=INDIVIDUAL", "pty-merchant=CORPORATE", "pty-a=CORPORATE"), forwarded());
    }

    @Test
    void shouldForgetWhatItSentWhenReinitialisedSoATypeIsResentNotLost() {
        changes.init(context);
        pay("PAY-1", "pty-a", PartyType.INDIVIDUAL);
        context.resetForwards();

        changes.init(context); // a restart or a rebalance
        pay("PAY-2", "pty-a", PartyType.INDIVIDUAL);

        assertEquals(List.of("pty-a=INDIVIDUAL", "pty-merchant=CORPORATE"), forwarded());
    }
}
