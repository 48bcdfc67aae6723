package fundwatch.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The yardstick fundwatch is held to: the least a Kafka Streams application can do with the same input on the same
 * broker — exactly-once, one repartition, then one read-modify-write of a small binary value per event in a cached
 * RocksDB store. Timings drift between runs on these machines; the ratio of fundwatch's replay to this one, measured
 * in the same run with the same events, threads and partitions, does not drift with them.
 */
final class Anchor {
    // Not prefixed "fundwatch-bench-": the fan-out count selects fundwatch's internal topics by that prefix.
    static final String APP_ID = "anchor-of-fundwatch-bench";
    static final String STORE = "anchor-counts";

    private Anchor() {
    }

    /**
     * Rekeys every record by its own key with the first byte dropped (so the repartition really moves records between
     * partitions, as fundwatch's do), then counts records and bytes per new key.
     */
    static Topology topology(List<String> inputs, int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingEnabled());
        KStream<byte[], byte[]> in = builder.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName("anchor-source"));
        in.selectKey((k, v) -> k == null || k.length < 2 ? new byte[] {0} : java.util.Arrays.copyOfRange(k, 1, k.length),
                        Named.as("anchor-rekey"))
                .repartition(Repartitioned.<byte[], byte[]>as("anchor-rekeyed")
                        .withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray())
                        .withNumberOfPartitions(partitions))
                .process(Count::new, Named.as("anchor-count"), STORE);
        return builder.build();
    }

    static KafkaStreams start(String bootstrap, List<String> inputs, int partitions, int threads, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        KafkaStreams streams = new KafkaStreams(topology(inputs, partitions), p);
        streams.start();
        return streams;
    }

    /** One 16-byte value per key: count and bytes seen. */
    static final class Count implements Processor<byte[], byte[], Void, Void> {
        private KeyValueStore<Bytes, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Bytes key = Bytes.wrap(record.key());
            byte[] old = store.get(key);
            ByteBuffer next = ByteBuffer.allocate(16);
            long count = old == null ? 0 : ByteBuffer.wrap(old).getLong(0);
            long bytes = old == null ? 0 : ByteBuffer.wrap(old).getLong(8);
            next.putLong(count + 1).putLong(bytes + (record.value() == null ? 0 : record.value().length));
            store.put(key, next.array());
        }
    }

    static Map<String, Object> describe(int partitions, int threads) {
        return Map.of("pipeline", "exactly_once_v2; source (byte[]) -> rekey -> 1 repartition -> get+put of 16 bytes"
                + " in a cached RocksDB store", "partitions", partitions, "streamThreads", threads);
    }

    static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("anchor did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    static Lag lag(Admin admin, List<String> inputs) throws Exception {
        return new Lag(admin, APP_ID, inputs);
    }
}
