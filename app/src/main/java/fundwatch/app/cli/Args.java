package fundwatch.app.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/bench}'s flags: {@code --name value}, {@code --name=value} and boolean {@code --name}; anything not
 * declared is an error. (bin/fundwatch's commands are picocli {@code @Command}s, see {@link FundwatchCli}; the
 * duration syntax here is shared with them.)
 */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * @param booleans flags that take no value
     * @param valued   flags that take a value; the name "*" accepts any dotted configuration key as a flag
     */
    public static Args parse(String[] argv, int from, Set<String> booleans, Set<String> valued) {
        Args args = new Args();
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                args.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (booleans.contains(name)) {
                args.values.put(name, value == null ? "true" : value);
            } else if (valued.contains(name) || (valued.contains("*") && name.contains("."))) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                args.values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return args;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    public int intValue(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    public long longValue(String name, long fallback) {
        String v = values.get(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    /** "60s", "5m", "2h", "500ms" or ISO-8601 ("PT1M"). */
    public Duration duration(String name, Duration fallback) {
        String v = values.get(name);
        return v == null ? fallback : parseDuration(v);
    }

    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: " + v);
        };
    }

    /** Flags that are configuration keys (contain a dot), for the top layer of the config. */
    public Map<String, String> configFlags() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.contains(".")) {
                m.put(k, v);
            }
        });
        return m;
    }

    public List<String> positional() {
        return positional;
    }
}
