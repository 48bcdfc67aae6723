package fundwatch.simulator;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Helpers that read a simulated market the way the tests need it. */
final class MarketFixtures {
    /** A start at 01:00 Beijing time, the quietest part of the day for honest traffic. */
    static final Instant NIGHT_START = Instant.parse("2025-11-27T17:00:00Z");

    private MarketFixtures() {
    }

    static List<SimEvent> take(Iterator<SimEvent> events, int n) {
        List<SimEvent> out = new ArrayList<>(Math.min(n, 1 << 16));
        while (out.size() < n && events.hasNext()) {
            out.add(events.next());
        }
        return out;
    }

    static List<SimEvent> all(Iterator<SimEvent> events) {
        return take(events, Integer.MAX_VALUE);
    }

    static <T> List<T> values(List<SimEvent> events, Class<T> type) {
        return events.stream().map(SimEvent::value).filter(type::isInstance).map(type::cast).toList();
    }

    /** First occurrence of each id; later redeliveries dropped, as a consumer must. */
    static <T> List<T> dedupe(List<T> records, Function<T, String> id) {
        Map<String, T> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(id.apply(r), r));
        return List.copyOf(byId.values());
    }

    static List<CustodyTransaction> custody(List<SimEvent> events) {
        return dedupe(values(events, CustodyTransaction.class), CustodyTransaction::getEventId);
    }

    static List<ClearingPayment> clearing(List<SimEvent> events) {
        return dedupe(values(events, ClearingPayment.class), ClearingPayment::getPaymentId);
    }

    /** Registered account id → its registration. */
    static Map<String, AccountRegistration> accounts(List<SimEvent> registry) {
        Map<String, AccountRegistration> out = new LinkedHashMap<>();
        values(registry, AccountRegistration.class).forEach(a -> out.put(a.getAccountId(), a));
        return out;
    }

    /** Account id → platform id, for the accounts registered with {@code purpose}. */
    static Map<String, String> platformOf(List<SimEvent> registry, AccountPurpose purpose) {
        Map<String, String> out = new LinkedHashMap<>();
        accounts(registry).values().stream().filter(a -> a.getPurpose() == purpose)
                .forEach(a -> out.put(a.getAccountId(), a.getPlatformId()));
        return out;
    }

    static byte[] avroBinary(SpecificRecord record) {
        SpecificData model = SpecificData.getForClass(record.getClass());
        SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>(record.getSchema(), model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** SHA-256 over topic role, key and Avro binary value of every event, in order. */
    static String digest(List<SimEvent> events) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SimEvent e : events) {
                sha.update(e.role().name().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.key().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                if (e.value() != null) {
                    sha.update(avroBinary(e.value()));
                }
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
