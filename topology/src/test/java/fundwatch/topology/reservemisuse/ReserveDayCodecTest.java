package fundwatch.topology.reservemisuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.paymentinstitution.InstitutionPayment;
import fundwatch.topology.support.BinaryCodec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stored formats of D3c's day and of the institution payments D3d/D3e repartition: version 1, byte for byte. */
class ReserveDayCodecTest {
    @Test
    void shouldRoundTripAReserveDayWithItsVersionByteFirst() {
        ReserveDay day = ReserveDay.empty("PI-1", 1_000, 86_401_000)
                .add(ReserveUse.OTHERS, new EvidenceItem("clearing.payments", "P1", 5_000, 2_000, "shop"))
                .add(ReserveUse.RESERVE_MOVE, new EvidenceItem("clearing.payments", "P2", 7_000, 2_001, null))
                .add(ReserveUse.AFFILIATE, new EvidenceItem("clearing.payments", "P3", 9_000, 2_002, "aff"));
        byte[] bytes = BinaryCodec.encode(ReserveDay.FORMAT, day);

        assertEquals(1, bytes[0]);
        assertEquals(day, BinaryCodec.decode(ReserveDay.FORMAT, bytes));
    }

    @Test
    void shouldReadInstitutionPaymentBytesWrittenByVersionOne() {
        InstitutionPayment p = new InstitutionPayment("PI-1", "PAY-1", 150, 7, "shop", "", true, false);
        // Pinned: a change to the layout must come with a new version, not silently reshape repartitioned records.
        String pinned = "010850492d310a5041592d31ac020e0873686f70000100";

        assertEquals(pinned, HexFormat.of().formatHex(BinaryCodec.encode(InstitutionPayment.FORMAT, p)));
        assertEquals(p, BinaryCodec.decode(InstitutionPayment.FORMAT, HexFormat.of().parseHex(pinned)));
    }
}
