package fundwatch.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** GET /alerts narrowed by detector, region and severity; the same filter forwarded to the other instances. */
class AlertFilterTest {
    private static FundFlowAlert alert(String detector, String region, Severity severity) {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        return FundFlowAlert.newBuilder().setAlertId("A-" + detector + region + severity).setRevision(1)
                .setDetector(detector).setSeverity(severity).setScore(0.5).setSubjectId("P-1")
                .setSubjectType(SubjectType.PLATFORM).setPlatformId("P-1").setRegionCode(region)
                .setWindowStart(t).setWindowEnd(t).setLastEventTime(t).setDetectedAt(t).setMetrics(Map.of())
                .setThresholds(Map.of()).setEvidence(List.of()).setRuleVersion("1").setSummary("s").build();
    }

    @Test
    void shouldNarrowByEachGivenParameterAndIgnoreBlankOnes() {
        FundFlowAlert shenzhenHigh = alert("CUSTODY_BYPASS", "440300", Severity.HIGH);
        FundFlowAlert beijingLow = alert("CUSTODY_BYPASS", "110000", Severity.LOW);
        FundFlowAlert noRegion = alert("BORROWING_CAP", null, Severity.HIGH);

        AlertFilter any = AlertFilter.of(Map.of("detector", "", "regionCode", " "));
        assertTrue(any.matches(shenzhenHigh) && any.matches(beijingLow) && any.matches(noRegion));

        AlertFilter region = AlertFilter.of(Map.of("regionCode", "440300"));
        assertTrue(region.matches(shenzhenHigh));
        assertFalse(region.matches(beijingLow));
        assertFalse(region.matches(noRegion), "an alert without a region is in no region");

        AlertFilter severity = AlertFilter.of(Map.of("severity", "high"));
        assertTrue(severity.matches(shenzhenHigh) && severity.matches(noRegion));
        assertFalse(severity.matches(beijingLow));

        AlertFilter all = AlertFilter.of(Map.of("detector", "CUSTODY_BYPASS", "regionCode", "440300",
                "severity", "HIGH"));
        assertTrue(all.matches(shenzhenHigh));
        assertFalse(all.matches(noRegion), "another detector");
    }

    @Test
    void shouldForwardTheSameFilterToTheOtherInstances() {
        AlertFilter f = AlertFilter.of(Map.of("detector", "SELF_FINANCING", "regionCode", "440300",
                "severity", "critical"));
        String path = PlatformQueries.alertsPath(null, f, 50, "local");
        assertEquals("/alerts?limit=50&detector=SELF_FINANCING&regionCode=440300&severity=CRITICAL&scope=local", path);
        // Read back as the other instance would: the same filter.
        assertEquals(f, AlertFilter.of(HttpApi.query(java.net.URI.create("http://x" + path))));
        assertEquals("/alerts?limit=5&platformId=P+1", PlatformQueries.alertsPath("P 1",
                AlertFilter.of(Map.of()), 5, null));
    }
}
