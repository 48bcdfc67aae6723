package fundwatch.topology.fundpooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.Platform;
import fundwatch.topology.alert.Finding;
import fundwatch.topology.registry.RegistryView;
import fundwatch.topology.rules.RuleBook;
import fundwatch.topology.support.BinaryCodec;
import fundwatch.topology.support.FundwatchMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The hub detector's state is bounded by its retention, not by how many accounts ever paid: a million distinct
 * accounts paying once each, spread over 100 days, leave only those of the last retention span in its stores.
 * Driven through the processor itself (in-memory stores, punctuation by hand): the whole topology in a test
 * driver would take many minutes for a million payments.
 */
class HubStateBoundTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = Instant.parse("2026-01-01T02:00:00Z").toEpochMilli();
    private final MockProcessorContext<String, Finding> context = new MockProcessorContext<>();
    private final PassThroughHubDetector.Stores names = new PassThroughHubDetector.Stores("accounts",
            "counterparties", "evidence", "index");

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private void globalStore(String name) {
        TimestampedKeyValueStore<String, Object> store = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.serdeFrom(
                        (t, v) -> new byte[0], (t, b) -> null)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    @Test
    void shouldForgetAccountsAndCounterpartiesThatLeftRetention() {
        KeyValueStore<String, HubSummary> accounts = store(names.accounts(), BinaryCodec.serde(HubSummary.FORMAT));
        KeyValueStore<String, HubCounterparty> counterparties = store(names.counterparties(),
                BinaryCodec.serde(HubCounterparty.FORMAT));
        store(names.evidence(), BinaryCodec.serde(EvidenceList.FORMAT));
        KeyValueStore<String, String> index = store(names.index(), Serdes.String());
        globalStore(RuleBook.STORE);
        globalStore(RegistryView.PLATFORMS_STORE);
        globalStore(RegistryView.ACCOUNTS_STORE);
        PassThroughHubDetector detector = new PassThroughHubDetector(names, "clearing.payments",
                ZoneId.of("Asia/Shanghai"), FundwatchMetrics.detached());
        detector.init(context);

        int accountsPaying = 1_000_000;
        int days = 100;
        for (int i = 0; i < accountsPaying; i++) {
            long t = T0 + (long) i * days * DAY / accountsPaying;
            context.setCurrentStreamTimeMs(t);
            if (i % 10_000 == 0) {
                // Stream time has moved on: the punctuator runs (it acts once per day of stream time).
                context.scheduledPunctuators().get(0).getPunctuator().punctuate(t);
            }
            // Each account pays once, to one of 1 000 shops: its own outflow leg makes it a subject here.
            detector.process(new Record<>("PAYER-" + i, new HubLeg("PAYER-" + i, HubLeg.Direction.OUT,
                    "SHOP-" + (i % 1_000), true, 10_000, t, "PAY-" + i), t));
        }

        // Retention is 30 days + 1 (ILLEGAL_FUNDRAISING's window) and a day's grace for the index: about 32 of the
        // 100 days' payers are still held, never the million.
        long held = accounts.approximateNumEntries();
        assertTrue(held < accountsPaying * 0.34, "accounts held: " + held);
        assertTrue(held > accountsPaying * 0.30, "the last retention span is still held: " + held);
        assertEquals(held, counterparties.approximateNumEntries(), "one counterparty per paying account");
        assertEquals(held, index.approximateNumEntries(), "one expiry entry per counterparty");
    }
}
