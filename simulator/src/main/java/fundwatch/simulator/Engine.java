package fundwatch.simulator;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * A discrete-event loop that runs lazily as it is iterated.
 *
 * <p>Actors schedule tasks at simulated times; a task may only emit events at or after its own
 * time. So once the earliest pending task lies in the future, every event queued for emission before
 * it is final and can be handed out: memory holds the near future only, never the whole span.
 *
 * <p>The delivery quirks of real feeds are applied here, once for all actors: about 1 % of money
 * events are delivered twice (same id) and about 0.5 % arrive a few minutes late, behind younger ones.
 * Both draw from a random stream of their own, so switching them never shifts the market itself.
 */
final class Engine implements Iterator<SimEvent> {
    static final double DUPLICATE_RATE = 0.01;
    static final double LATE_RATE = 0.005;

    private record Task(long time, long seq, LongConsumer action) {
    }

    private record Pending(long emitAt, long seq, SimEvent event) {
    }

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::time).thenComparingLong(Task::seq));
    private final PriorityQueue<Pending> outbox =
            new PriorityQueue<>(Comparator.comparingLong(Pending::emitAt).thenComparingLong(Pending::seq));
    private final long end;
    private final SplittableRandom quirks;
    private long seq;
    private long now;
    /** Per platform: when its custodian delivers a ledger entry that was ready at a given time (near misses). */
    private java.util.Map<String, java.util.function.LongUnaryOperator> custodyDelivery = java.util.Map.of();

    Engine(long start, long end, SplittableRandom quirks) {
        this.end = end;
        this.quirks = quirks;
        this.now = start;
    }

    /** Runs {@code action} at simulated time {@code time}; ignored past the end of the span. */
    void at(long time, LongConsumer action) {
        if (time < now) {
            throw new IllegalStateException("task scheduled in the past: " + time + " < " + now);
        }
        if (time < end) {
            tasks.add(new Task(time, seq++, action));
        }
    }

    /** Custody feeds that do not deliver in real time: platform id to delivery time of an entry ready at t. */
    void custodyDelivery(java.util.Map<String, java.util.function.LongUnaryOperator> delivery) {
        this.custodyDelivery = java.util.Map.copyOf(delivery);
    }

    /** Whether an event at {@code time} still lies in the span; actors check a whole exchange at once. */
    boolean inSpan(long time) {
        return time < end;
    }

    /** Emits a registry record (no delivery quirks: registries re-send whole state, not redeliveries). */
    void emitRecord(TopicRole role, String key, SpecificRecord value, long eventTime) {
        queue(eventTime, new SimEvent(role, key, value, eventTime));
    }

    void emit(CustodyTransaction tx) {
        long t = tx.getEventTime().toEpochMilli();
        emitWithQuirks(new SimEvent(TopicRole.CUSTODY, tx.getPlatformId(), tx, t),
                () -> CustodyTransaction.newBuilder(tx).build(),
                custodyDelivery.getOrDefault(tx.getPlatformId(), java.util.function.LongUnaryOperator.identity()));
    }

    void emit(ClearingPayment payment) {
        long t = payment.getEventTime().toEpochMilli();
        emitWithQuirks(new SimEvent(TopicRole.CLEARING, payment.getPayerAccountId(), payment, t),
                () -> ClearingPayment.newBuilder(payment).build(), java.util.function.LongUnaryOperator.identity());
    }

    private void emitWithQuirks(SimEvent event, java.util.function.Supplier<SpecificRecord> copy,
            java.util.function.LongUnaryOperator delivery) {
        long t = event.eventTimeMillis();
        if (t >= end) {
            return;
        }
        long emitAt = Rand.chance(quirks, LATE_RATE) ? t + Rand.between(quirks, Rand.MINUTE, 8 * Rand.MINUTE) : t;
        emitAt = delivery.applyAsLong(emitAt);
        queue(emitAt, event);
        if (Rand.chance(quirks, DUPLICATE_RATE)) {
            long again = emitAt + Rand.between(quirks, Rand.SECOND, 10 * Rand.MINUTE);
            queue(again, new SimEvent(event.role(), event.key(), copy.get(), t));
        }
    }

    private void queue(long emitAt, SimEvent event) {
        if (event.eventTimeMillis() < now) {
            throw new IllegalStateException("event before its task: " + event);
        }
        outbox.add(new Pending(emitAt, seq++, event));
    }

    @Override
    public boolean hasNext() {
        while (true) {
            Pending head = outbox.peek();
            Task task = tasks.peek();
            if (head != null && (task == null || head.emitAt() <= task.time())) {
                return true;
            }
            if (task == null) {
                return false;
            }
            tasks.poll();
            now = task.time();
            task.action().accept(task.time());
        }
    }

    @Override
    public SimEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return outbox.poll().event();
    }
}
