package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.DetectorRule;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RuleAuditTest {
    private static DetectorRule rule(String version, boolean enabled, Map<String, Double> params) {
        return DetectorRule.newBuilder().setDetector("CUSTODY_BYPASS").setEnabled(enabled).setVersion(version)
                .setParams(params).setUpdatedAt(Instant.parse("2026-11-28T08:00:00Z")).build();
    }

    @Test
    void shouldNameTheDetectorVersionsAndOnlyTheParametersThatChanged() {
        // A first rule over the defaults: one parameter raised, the other left at its default.
        String first = RuleAudit.describe("CUSTODY_BYPASS", null,
                rule("2026-11-28.1", true, Map.of("highDailyAmountMinor", 5_000_000.0)), "ops@host-1");
        assertEquals("rule change applied: detector=CUSTODY_BYPASS version=2026-11-28.1 previous=default"
                + " enabled=true changed=[highDailyAmountMinor 10000000 -> 5000000]"
                + " updatedAt=2026-11-28T08:00:00Z by=ops@host-1", first);

        // A second that also sets the unchanged value explicitly and switches the detector off.
        String second = RuleAudit.describe("CUSTODY_BYPASS",
                rule("2026-11-28.1", true, Map.of("highDailyAmountMinor", 5_000_000.0)),
                rule("2026-11-29.1", false, Map.of("highDailyAmountMinor", 5_000_000.0)), null);
        assertTrue(second.contains("version=2026-11-29.1 previous=2026-11-28.1 enabled true -> false changed=none"),
                second);
        assertTrue(second.endsWith("by=unknown"), second);

        // A reset (tombstone) goes back to the defaults.
        String reset = RuleAudit.describe("CUSTODY_BYPASS",
                rule("2026-11-29.1", true, Map.of("highDailyAmountMinor", 5_000_000.0)), null, "ops@host-1");
        assertTrue(reset.contains("version=default (reset) previous=2026-11-29.1"), reset);
        assertTrue(reset.contains("highDailyAmountMinor 5000000 -> 10000000"), reset);
    }

    @Test
    void shouldReuseTheStreamsClientSecurityButNoGroup() {
        Properties streams = new Properties();
        streams.put("bootstrap.servers", "k:9093");
        streams.put("security.protocol", "SASL_SSL");
        streams.put("consumer.ssl.truststore.location", "/etc/ts.p12");
        streams.put("application.id", "fundwatch");
        streams.put("processing.guarantee", "exactly_once_v2");
        Properties p = RuleAudit.consumerProperties(streams);
        assertEquals("k:9093", p.get("bootstrap.servers"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("/etc/ts.p12", p.get("ssl.truststore.location"));
        assertFalse(p.containsKey("group.id"));
        assertFalse(p.containsKey("processing.guarantee"));
        assertEquals("read_committed", p.get("isolation.level"));
    }
}
