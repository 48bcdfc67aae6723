package fundwatch.topology.ingest;

import static fundwatch.topology.support.Fixtures.T0;
import static fundwatch.topology.support.Fixtures.account;
import static fundwatch.topology.support.Fixtures.custody;
import static fundwatch.topology.support.Fixtures.p2pPlatform;
import static fundwatch.topology.support.Fixtures.payment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.TxType;
import fundwatch.topology.support.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private TopologyFixture fx;

    @BeforeEach
    void givenAPlatformWithAGeneralAccount() {
        fx = new TopologyFixture();
        fx.register(p2pPlatform("P-1"), account("GEN-1", "P-1", AccountPurpose.PLATFORM_GENERAL));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterGarbageBytesUnchangedAndKeepProcessing() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        byte[] key = "CARD-A".getBytes(StandardCharsets.UTF_8);
        fx.rawClearing.pipeInput(key, garbage, T0);
        // A valid bypass payment right after the poison pill is still processed.
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 50_000, T0));

        List<TestRecord<byte[], byte[]>> dead = fx.deadLetters();
        assertEquals(1, dead.size());
        TestRecord<byte[], byte[]> d = dead.get(0);
        assertArrayEquals(garbage, d.value());
        assertArrayEquals(key, d.key());
        assertTrue(header(d, "fundwatch.error").startsWith("unknown-magic-byte"), header(d, "fundwatch.error"));
        assertEquals("clearing.payments", header(d, "fundwatch.source.topic"));
        assertEquals("0", header(d, "fundwatch.source.partition"));
        assertEquals("0", header(d, "fundwatch.source.offset"));
        assertEquals(1d, fx.metrics.count("fundwatch.dead.letters", "topic", "clearing.payments", "reason",
                "unknown-magic-byte"));
        assertEquals(1, fx.alerts().size());
    }

    @Test
    void shouldDeadLetterNonPositiveAmounts() {
        ClearingPayment zero = ClearingPayment.newBuilder(payment("PAY-0", "CARD-A", PartyType.INDIVIDUAL, "GEN-1",
                1, T0)).setAmountMinor(0).build();
        CustodyTransaction negative = CustodyTransaction.newBuilder(custody("CT-NEG", "P-1", TxType.DEPOSIT, 1, T0))
                .setAmountMinor(-500).build();
        fx.pay(zero);
        fx.post(negative);

        List<TestRecord<byte[], byte[]>> dead = fx.deadLetters();
        assertEquals(2, dead.size());
        assertTrue(dead.stream().allMatch(d -> header(d, "fundwatch.error").startsWith("invalid-amount")));
        assertEquals(List.of("clearing.payments", "custody.transactions"),
                dead.stream().map(d -> header(d, "fundwatch.source.topic")).toList());
        // The dead letter carries the original bytes: a consumer can decode exactly what the producer sent.
        ClearingPayment back = fx.topics.clearingPayments().valueSerde().deserializer()
                .deserialize("clearing.payments", dead.get(0).value());
        assertEquals("PAY-0", back.getPaymentId());
        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldDeadLetterAmountsSoLargeThatSummingThemCouldOverflow() {
        // Long.MAX_VALUE fen passes "> 0" but would overflow the day's sum of the bypass window.
        fx.pay(ClearingPayment.newBuilder(payment("PAY-MAX", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 1, T0))
                .setAmountMinor(Long.MAX_VALUE).build());
        fx.pay(payment("PAY-OK", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, T0));

        List<TestRecord<byte[], byte[]>> dead = fx.deadLetters();
        assertEquals(1, dead.size());
        assertTrue(header(dead.get(0), "fundwatch.error").startsWith("amount-too-large"));
        assertEquals(1, fx.alerts().size(), "the valid payment after it is still processed");
    }

    @Test
    void shouldDeadLetterMissingIdsUnknownCurrenciesAndAbsurdEventTimes() {
        fx.pay(ClearingPayment.newBuilder(payment("", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, T0)).build());
        fx.pay(ClearingPayment.newBuilder(payment("PAY-X", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, T0))
                .setCurrency("yuan").build());
        fx.pay(ClearingPayment.newBuilder(payment("PAY-Y", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, T0))
                .setCurrency("XYZ").build());
        fx.pay(payment("PAY-F", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, T0.plus(Duration.ofDays(400))));
        fx.pay(payment("PAY-P", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 10, java.time.Instant.parse("1970-01-02T00:00:00Z")));

        List<String> reasons = fx.deadLetters().stream().map(d -> header(d, "fundwatch.error"))
                .map(r -> r.substring(0, r.indexOf(':'))).toList();
        assertEquals(List.of("missing-id", "invalid-currency", "invalid-currency", "event-time-in-future",
                "event-time-too-old"), reasons);
        assertTrue(fx.alerts().isEmpty());
    }

    @Test
    void shouldDeadLetterInvalidRegistryRecordsWithoutLoadingThem() {
        // An account registration with no bank id is rejected, so the account stays unregistered.
        fx.accounts.pipeInput("GEN-2", fundwatch.avro.AccountRegistration.newBuilder(
                account("GEN-2", "P-1", AccountPurpose.PLATFORM_GENERAL)).setBankId(" ").build(), T0);
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-2", 50_000, T0));

        List<TestRecord<byte[], byte[]>> dead = fx.deadLetters();
        assertEquals(1, dead.size());
        assertEquals("registry.accounts", header(dead.get(0), "fundwatch.source.topic"));
        assertTrue(fx.alerts().isEmpty());
    }
    @Test
    void shouldDeadLetterRulesNamingAnUnknownDetectorOrParameter() {
        // A producer other than the `rules` command (which refuses these) publishes a typo'd detector name and a
        // typo'd parameter: neither may be loaded silently, both go to the DLQ with a reason and a metric.
        fx.rules.pipeInput("CUSTODY_BYPAS", fundwatch.topology.support.Fixtures.rule("CUSTODY_BYPAS", true, "v2",
                java.util.Map.of("highDailyAmountMinor", 1d)), T0);
        fx.rules.pipeInput("CUSTODY_BYPASS", fundwatch.topology.support.Fixtures.rule("CUSTODY_BYPASS", true, "v3",
                java.util.Map.of("highDailyAmountMinr", 1d)), T0);
        // A rule record whose key names another detector than its value would be read under the wrong name.
        fx.rules.pipeInput("FUND_POOLING", fundwatch.topology.support.Fixtures.rule("CUSTODY_BYPASS", true, "v4",
                java.util.Map.of("highDailyAmountMinor", 1d)), T0);
        // A valid rule still loads: CUSTODY_BYPASS is disabled, so the bypass payment below raises nothing.
        fx.rules.pipeInput("CUSTODY_BYPASS", fundwatch.topology.support.Fixtures.rule("CUSTODY_BYPASS", false, "v5",
                java.util.Map.of("highDailyAmountMinor", 1d)), T0);
        // An open family of parameter names (CLEARING_BYPASS's licensed clearing houses) is not "unknown".
        fx.rules.pipeInput("CLEARING_BYPASS", fundwatch.topology.support.Fixtures.rule("CLEARING_BYPASS", true, "v2",
                java.util.Map.of("licensedClearingHouse.CNAPS", 1d)), T0);
        fx.pay(payment("PAY-1", "CARD-A", PartyType.INDIVIDUAL, "GEN-1", 50_000, T0));

        List<TestRecord<byte[], byte[]>> dead = fx.deadLetters();
        assertEquals(List.of("unknown-detector", "unknown-param", "key-mismatch"), dead.stream()
                .map(d -> header(d, "fundwatch.error")).map(r -> r.substring(0, r.indexOf(':'))).toList());
        assertTrue(dead.stream().allMatch(d -> "fundwatch.rules".equals(header(d, "fundwatch.source.topic"))));
        assertTrue(header(dead.get(1), "fundwatch.error").contains("highDailyAmountMinr"),
                header(dead.get(1), "fundwatch.error"));
        assertEquals(1d, fx.metrics.count("fundwatch.dead.letters", "topic", "fundwatch.rules", "reason",
                "unknown-detector"));
        assertEquals(1d, fx.metrics.count("fundwatch.dead.letters", "topic", "fundwatch.rules", "reason",
                "unknown-param"));
        assertTrue(fx.alerts().isEmpty(), "the valid rule after the rejected ones disabled CUSTODY_BYPASS");
    }
}
