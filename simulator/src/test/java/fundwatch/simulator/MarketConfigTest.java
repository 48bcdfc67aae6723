package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketConfigTest {

    @Test
    void shouldDefaultToSixHonestPlatformsAndBothSchemesFromTheStart() {
        // Given / When the default config
        MarketConfig config = MarketConfig.defaults();

        // Then it is the documented market
        assertEquals(6, config.honestPlatforms());
        assertEquals(30, config.simulatedDays());
        assertEquals(Instant.parse("2025-06-01T16:00:00Z"), config.start());
        assertTrue(config.custodyBypass());
        assertTrue(config.unreconciledFlow());
        assertEquals(Optional.of(Duration.ZERO), config.onset(Scheme.CUSTODY_BYPASS));
        assertEquals(config.start().plus(Duration.ofDays(30)), config.end());
    }

    @Test
    void shouldSwitchSchemesOffAndOnWithTheirOnsets() {
        // Given a builder that turns one scheme off and delays the other
        MarketConfig config = MarketConfig.builder().custodyBypass(false)
                .unreconciledFlowOnset(Duration.ofHours(5)).build();

        // When / Then only the delayed one remains, and toBuilder keeps it
        assertFalse(config.custodyBypass());
        assertEquals(Optional.of(Duration.ofHours(5)), config.onset(Scheme.UNRECONCILED_FLOW));
        assertEquals(config, config.toBuilder().build());
        assertTrue(config.toBuilder().custodyBypass(true).build().custodyBypass());
    }

    @Test
    void shouldPlantByDefaultOnlyTheSchemesThatFitTheSpan() {
        // Given default markets of 3, 30, 36 and 63 days
        // When / Then the hub (paying "returns" from day 10) and the D6 schemes appear only once there is time to
        // find them, at their default onsets
        assertEquals(Set.of(Scheme.CUSTODY_BYPASS, Scheme.UNRECONCILED_FLOW, Scheme.PONZI, Scheme.POOLING,
                        Scheme.BORROWER_OVER_CAPS, Scheme.PAYMENT_RESERVE_MISUSE, Scheme.CLEARING_BYPASS,
                        Scheme.UNLICENSED_PAYMENT, Scheme.SELF_FINANCING, Scheme.FICTITIOUS_BORROWERS),
                MarketConfig.builder().simulatedDays(3).build().schemes().keySet());
        assertTrue(MarketConfig.defaults().isEnabled(Scheme.UNLICENSED_HUB));
        assertFalse(MarketConfig.defaults().isEnabled(Scheme.RAPID_GROWTH));
        MarketConfig fiveWeeks = MarketConfig.builder().simulatedDays(36).build();
        assertEquals(Optional.of(Duration.ofDays(30)), fiveWeeks.onset(Scheme.RAPID_GROWTH));
        assertFalse(fiveWeeks.isEnabled(Scheme.RECTIFYING_GROWER));
        assertEquals(Set.of(Scheme.values()), MarketConfig.builder().simulatedDays(63).build().schemes().keySet());
        // …and an explicit choice wins over the defaults, in either order
        assertEquals(Set.of(Scheme.RAPID_GROWTH), MarketConfig.builder().noSchemes().scheme(Scheme.RAPID_GROWTH)
                .simulatedDays(40).build().schemes().keySet());
        assertFalse(MarketConfig.builder().withoutScheme(Scheme.POOLING).simulatedDays(63).build()
                .isEnabled(Scheme.POOLING));
    }

    @Test
    void shouldPlantTheBorrowerOverTheCapsOnlyWhereFourHonestPlatformsCanLendToIt() {
        assertFalse(MarketConfig.builder().honestPlatforms(3).build().isEnabled(Scheme.BORROWER_OVER_CAPS));
        assertThrows(IllegalArgumentException.class, () -> MarketConfig.builder().honestPlatforms(3).noSchemes()
                .scheme(Scheme.BORROWER_OVER_CAPS).build());
    }

    @Test
    void shouldRejectAVolumeThatIsNotPositive() {
        assertEquals(0.25, MarketConfig.builder().volume(0.25).build().volume());
        assertThrows(IllegalArgumentException.class, () -> MarketConfig.builder().volume(0).build());
        assertThrows(IllegalArgumentException.class, () -> MarketConfig.builder().volume(Double.NaN).build());
    }

    @Test
    void shouldRejectOnsetsOutsideTheSpanAndEmptySpans() {
        // Given / When / Then impossible markets fail loudly
        assertThrows(IllegalArgumentException.class,
                () -> MarketConfig.builder().simulatedDays(1).custodyBypassOnset(Duration.ofDays(1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> MarketConfig.builder().custodyBypassOnset(Duration.ofMinutes(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> MarketConfig.builder().simulatedDays(0).build());
        assertThrows(IllegalArgumentException.class, () -> MarketConfig.builder().honestPlatforms(-1).build());
    }
}
