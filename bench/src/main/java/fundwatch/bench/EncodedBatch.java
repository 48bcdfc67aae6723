package fundwatch.bench;

import java.util.Arrays;

/**
 * Pre-encoded records packed into one growable byte array: 2 M events as separate byte[] keys and values would
 * cost ~100 MB of object headers and GC work that has nothing to do with what is measured.
 */
final class EncodedBatch {
    private byte[] data = new byte[1 << 20];
    private int[] keyStart = new int[1 << 12];
    private int[] valueStart = new int[1 << 12];
    private int[] valueEnd = new int[1 << 12];
    private byte[] topic = new byte[1 << 12];
    private int size;
    private int used;

    void add(int topicIndex, byte[] key, byte[] value) {
        if (size == topic.length) {
            int n = size * 2;
            keyStart = Arrays.copyOf(keyStart, n);
            valueStart = Arrays.copyOf(valueStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            topic = Arrays.copyOf(topic, n);
        }
        int need = key.length + value.length;
        if (used + need > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, used + need));
        }
        keyStart[size] = used;
        System.arraycopy(key, 0, data, used, key.length);
        used += key.length;
        valueStart[size] = used;
        System.arraycopy(value, 0, data, used, value.length);
        used += value.length;
        valueEnd[size] = used;
        topic[size] = (byte) topicIndex;
        size++;
    }

    int size() {
        return size;
    }

    long bytes() {
        return used;
    }

    int topic(int i) {
        return topic[i];
    }

    byte[] key(int i) {
        return Arrays.copyOfRange(data, keyStart[i], valueStart[i]);
    }

    byte[] value(int i) {
        return Arrays.copyOfRange(data, valueStart[i], valueEnd[i]);
    }
}
