package fundwatch.bench.jmh;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.SimEvent;
import fundwatch.topology.alert.EvidenceItem;
import fundwatch.topology.alert.WindowState;
import fundwatch.topology.fundpooling.HubStates;
import fundwatch.topology.support.JsonSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-record costs on fundwatch's hot paths, for diagnosing the end-to-end numbers: the Avro wire format of the
 * two event streams (every input record is decoded once, and again after each Avro repartition), and the windowed
 * state every detector reads, updates and writes back through its JSON store serde for each relevant record.
 * Inputs are real simulator records, cycled so that no single record's shape dominates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HotPathBenchmarks {
    private static final int RECORDS = 1024;

    private final List<ClearingPayment> payments = new ArrayList<>();
    private final List<CustodyTransaction> custody = new ArrayList<>();
    private byte[][] paymentBytes;
    private byte[][] custodyBytes;
    private Serializer<ClearingPayment> paymentSerializer;
    private Deserializer<ClearingPayment> paymentDeserializer;
    private Serializer<CustodyTransaction> custodySerializer;
    private Deserializer<CustodyTransaction> custodyDeserializer;
    private final JsonSerde<WindowState> stateSerde = JsonSerde.of(WindowState.class);
    private WindowState fullWindow;
    private byte[] fullWindowJson;
    private byte[] fullWindowJsonText;
    private final byte[] hubSummary = HubStates.busySummary();
    private EvidenceItem[] items;
    private int i;

    @Setup
    public void setup() {
        Iterator<SimEvent> events = new MarketSimulator(MarketConfig.defaults()).events();
        while ((payments.size() < RECORDS || custody.size() < RECORDS) && events.hasNext()) {
            SimEvent e = events.next();
            if (e.value() instanceof ClearingPayment p && payments.size() < RECORDS) {
                payments.add(p);
            } else if (e.value() instanceof CustodyTransaction c && custody.size() < RECORDS) {
                custody.add(c);
            }
        }
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        paymentSerializer = AvroSerdes.forType(ClearingPayment.class, registry).serializer();
        paymentDeserializer = AvroSerdes.forType(ClearingPayment.class, registry).deserializer();
        custodySerializer = AvroSerdes.forType(CustodyTransaction.class, registry).serializer();
        custodyDeserializer = AvroSerdes.forType(CustodyTransaction.class, registry).deserializer();
        paymentBytes = payments.stream().map(p -> paymentSerializer.serialize("clearing.payments", p))
                .toArray(byte[][]::new);
        custodyBytes = custody.stream().map(c -> custodySerializer.serialize("custody.transactions", c))
                .toArray(byte[][]::new);
        items = payments.stream().map(p -> new EvidenceItem("clearing.payments", p.getPaymentId(),
                p.getAmountMinor(), p.getEventTime().toEpochMilli(), p.getPayerAccountId()))
                .toArray(EvidenceItem[]::new);
        WindowState w = WindowState.empty("P-1", 0, 86_400_000L);
        for (int k = 0; k < 200; k++) {
            w = w.add(k % 2 == 0 ? "in" : "out", items[k]);
        }
        fullWindow = w; // at its evidence cap (20): the steady state of a busy platform-day
        fullWindowJson = stateSerde.serializer().serialize("store", fullWindow);
        try {
            fullWindowJsonText = JsonSerde.toJson(fullWindowJson).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int next() {
        i = (i + 1) & (RECORDS - 1);
        return i;
    }

    @Benchmark
    public ClearingPayment clearingPaymentDecode() {
        return paymentDeserializer.deserialize("clearing.payments", paymentBytes[next()]);
    }

    @Benchmark
    public byte[] clearingPaymentEncode() {
        return paymentSerializer.serialize("clearing.payments", payments.get(next()));
    }

    @Benchmark
    public CustodyTransaction custodyTransactionDecode() {
        return custodyDeserializer.deserialize("custody.transactions", custodyBytes[next()]);
    }

    @Benchmark
    public byte[] custodyTransactionEncode() {
        return custodySerializer.serialize("custody.transactions", custody.get(next()));
    }

    /** WindowState.add on a window at its evidence cap: sums plus the largest-first evidence insert. */
    @Benchmark
    public WindowState windowStateAdd() {
        return fullWindow.add("in", items[next()]);
    }

    /**
     * What a detector's store round trip costs per record besides RocksDB: JSON-decode the window, add, JSON-encode
     * (the caching layer is off under exactly-once unless configured, so each put is serialised).
     */
    @Benchmark
    public byte[] windowStateStoreRoundTrip() {
        WindowState w = stateSerde.deserializer().deserialize("store", fullWindowJson);
        return stateSerde.serializer().serialize("store", w.add("in", items[next()]));
    }

    /** The same window stored as JSON text, as builds before the Smile serde wrote it. */
    @Benchmark
    public WindowState windowStateJsonTextDecode() {
        return stateSerde.deserializer().deserialize("store", fullWindowJsonText);
    }

    /** A busy account's pass-through-hub summary (31 days of counters), as stored: read and rewritten per leg. */
    @Benchmark
    public Object hubSummaryDecode() {
        return HubStates.decodeSummary(hubSummary);
    }

    @Benchmark
    public byte[] hubSummaryDecodeEncode() {
        return HubStates.reencodeSummary(hubSummary);
    }

    @Benchmark
    public WindowState windowStateJsonDecode() {
        return stateSerde.deserializer().deserialize("store", fullWindowJson);
    }

    @Benchmark
    public byte[] windowStateJsonEncode() {
        return stateSerde.serializer().serialize("store", fullWindow);
    }
}
