package fundwatch.topology.fundpooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.support.BinaryCodec;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub's state formats are formats: these are the bytes version 1 writes. A later version must still read
 * them (add a case here, never change these bytes), or a deployment's state would not load after an upgrade.
 */
class HubCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldReadAndWriteVersion1OfTheAccountSummary() {
        HubSummary s = new HubSummary();
        s.lastEventTime = 1_764_295_200_000L;
        s.expiryDay = 20_450;
        s.hubEpisode = new long[] {1_764_259_200_000L, 1_765_000_000_000L, 2};
        long[] row = s.day(20_419);
        row[HubSummary.IN] = 3_000_000;
        row[HubSummary.PAYERS] = 30;
        row[HubSummary.PAID_BACK] = 1;
        String v1 = "0180b48283d966c4bf02000180f0d7e0d86680c895a3de660400021686bf02809bee0200003c00000000"
                + "020000";
        assertEquals(v1, HEX.formatHex(BinaryCodec.encode(HubSummary.FORMAT, s)));
        HubSummary back = BinaryCodec.decode(HubSummary.FORMAT, HEX.parseHex(v1));
        assertEquals(s.lastEventTime, back.lastEventTime);
        assertEquals(s.expiryDay, back.expiryDay);
        assertArrayEquals(s.hubEpisode, back.hubEpisode);
        assertEquals(null, back.fundraisingEpisode);
        assertArrayEquals(row, back.days.get(20_419L));
    }

    @Test
    void shouldReadAndWriteVersion1OfACounterpartyAndAnEvidenceList() {
        HubCounterparty c = new HubCounterparty(1_764_295_200_000L, 0, 1_764_300_000_000L, 0, true, 20_451);
        String cv1 = "0180b48283d9660080accc87d9660001c6bf02";
        assertEquals(cv1, HEX.formatHex(BinaryCodec.encode(HubCounterparty.FORMAT, c)));
        assertEquals(c, BinaryCodec.decode(HubCounterparty.FORMAT, HEX.parseHex(cv1)));

        EvidenceList list = new EvidenceList(List.of(new EvidenceItem("clearing.payments", "PAY-1", 2_400_000,
                1_764_295_200_000L, "PAYEE-1"), new EvidenceItem("clearing.payments", "PAY-2", 100, 5, null)));
        byte[] bytes = BinaryCodec.encode(EvidenceList.FORMAT, list);
        assertEquals(list, BinaryCodec.decode(EvidenceList.FORMAT, bytes));
        assertEquals(1, bytes[0], "version byte first");
    }

    @Test
    void shouldReadVersion1HubLegsAfterVersion2AddedTheCounterpartysParty() {
        // A leg written by the previous build (still in the payee repartition topic during an upgrade): v1 bytes.
        HubLeg v1Leg = new HubLeg("HUB-1", HubLeg.Direction.IN, "CARD-1", true, 1_000, 1_764_295_200_000L, "PAY-1");
        byte[] v1 = BinaryCodec.encode(HubLeg.FORMAT, v1Leg);
        v1 = java.util.Arrays.copyOf(v1, v1.length - 1); // v2 appends the party flag; v1 ends before it
        v1[0] = 1;
        assertEquals(v1Leg, BinaryCodec.decode(HubLeg.FORMAT, v1));
        assertEquals("A:CARD-1", BinaryCodec.decode(HubLeg.FORMAT, v1).counterpartyKey());

        HubLeg v2Leg = new HubLeg("HUB-1", HubLeg.Direction.IN, "CARD-1", true, 1_000, 1_764_295_200_000L, "PAY-1",
                "pty-7");
        byte[] v2 = BinaryCodec.encode(HubLeg.FORMAT, v2Leg);
        assertEquals(2, v2[0], "version byte first");
        assertEquals(v2Leg, BinaryCodec.decode(HubLeg.FORMAT, v2));
        assertEquals("P:pty-7", v2Leg.counterpartyKey());
    }
}
