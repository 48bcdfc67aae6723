package fundwatch.topology.rules;

import java.util.Map;

/** A detector's parameters in force: its defaults overlaid with the latest rule record, if any. */
public record EffectiveRule(String detector, boolean enabled, String version, Map<String, Double> params) {

    public double param(String name) {
        Double v = params.get(name);
        if (v == null) {
            throw new IllegalStateException(detector + " has no parameter " + name);
        }
        return v;
    }

    public long longParam(String name) {
        return Math.round(param(name));
    }

    public long minutesAsMillis(String name) {
        return Math.round(param(name) * 60_000d);
    }
}
