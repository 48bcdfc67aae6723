package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketSimulatorDeterminismTest {
    private static final int EVENTS = 30_000;

    private static String fingerprint(MarketConfig config) {
        MarketSimulator sim = new MarketSimulator(config);
        List<SimEvent> stream = new ArrayList<>(sim.registry());
        stream.addAll(MarketFixtures.take(sim.events(), EVENTS));
        return MarketFixtures.digest(stream);
    }

    @Test
    void shouldProduceByteIdenticalStreamsForTheSameSeed() {
        // Given two simulators built separately from equal configs
        MarketConfig config = MarketConfig.builder().seed(42).build();

        // When each produces its registry and first 30 000 events
        String first = fingerprint(config);
        String second = fingerprint(config.toBuilder().build());

        // Then topic, key and Avro bytes agree for every record
        assertEquals(first, second);
    }

    @Test
    void shouldProduceTheSameStreamWhenIteratedTwiceFromOneSimulator() {
        // Given one simulator
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().seed(7).build());

        // When its events are iterated twice
        String first = MarketFixtures.digest(MarketFixtures.take(sim.events(), 5_000));
        String second = MarketFixtures.digest(MarketFixtures.take(sim.events(), 5_000));

        // Then each iteration replays the same market
        assertEquals(first, second);
    }

    @Test
    void shouldProduceDifferentStreamsForDifferentSeeds() {
        // Given two configs that differ only in the seed
        MarketConfig a = MarketConfig.builder().seed(1).build();
        MarketConfig b = MarketConfig.builder().seed(2).build();

        // When / Then their streams differ
        assertNotEquals(fingerprint(a), fingerprint(b));
    }

    @Test
    void shouldGenerateEventsLazilyForAVeryLongSpan() {
        // Given a ten-year market, far too large to build up front in a test's time
        MarketSimulator sim = new MarketSimulator(MarketConfig.builder().simulatedDays(3_650).build());

        // When the first 20 000 events are taken
        // Then they arrive promptly, because only the near future is ever generated
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Iterator<SimEvent> events = sim.events();
            assertEquals(20_000, MarketFixtures.take(events, 20_000).size());
        });
    }
}
