package fundwatch.app.http;

import fundwatch.avro.FundFlowAlert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code GET /alerts} narrows the latest alerts to, besides the platform: a detector, a region (the alert's
 * regionCode) and a severity, each optional (null: any). Forwarded to the other instances as the same parameters.
 */
record AlertFilter(String detector, String regionCode, String severity) {
    /** From the query parameters detector, regionCode and severity; blank means any, severity in any case. */
    static AlertFilter of(Map<String, String> query) {
        String severity = blankToNull(query.get("severity"));
        return new AlertFilter(blankToNull(query.get("detector")), blankToNull(query.get("regionCode")),
                severity == null ? null : severity.toUpperCase(Locale.ROOT));
    }

    boolean matches(FundFlowAlert a) {
        return (detector == null || detector.equals(a.getDetector()))
                && (regionCode == null || regionCode.equals(a.getRegionCode()))
                && (severity == null || severity.equals(String.valueOf(a.getSeverity())));
    }

    /** The filter as query parameters, each "&name=value", for forwarding. */
    String asQuery() {
        StringBuilder p = new StringBuilder();
        append(p, "detector", detector);
        append(p, "regionCode", regionCode);
        append(p, "severity", severity);
        return p.toString();
    }

    private static void append(StringBuilder p, String name, String value) {
        if (value != null) {
            p.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
