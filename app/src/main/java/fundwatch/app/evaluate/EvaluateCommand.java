package fundwatch.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import fundwatch.app.cli.Args;
import fundwatch.avro.DetectorRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fundwatch evaluate --amlsim DIR [--rules FILE] [--json]}: replays the AMLSim export through the real
 * topology and prints precision, recall and alert counts per pattern type.
 */
public final class EvaluateCommand {
    private EvaluateCommand() {
    }

    public static int main(Args args) throws Exception {
        if (args.flag("market") || args.get("truth", null) != null) {
            return TruthCommand.main(args);
        }
        String dirArg = args.get("amlsim", null);
        Path dir = dirArg != null ? Path.of(dirArg) : defaultDataset();
        if (dir == null || !Files.isRegularFile(dir.resolve("transactions.csv"))) {
            System.err.println("fundwatch: no AMLSim export found" + (dir == null ? " beside the repository" : " in " + dir)
                    + "; pass --amlsim DIR (a directory with transactions.csv, accounts.csv, alert_transactions.csv)");
            return 2;
        }
        AmlsimDataset data = AmlsimDataset.load(dir);
        String rulesArg = args.get("rules", null);
        java.time.Instant first = data.payments().get(0).getEventTime();
        List<DetectorRule> rules = rulesArg != null ? RuleSet.load(Path.of(rulesArg), first)
                : RuleSet.bundledAmlsim(first);
        AmlsimEvaluation.Result r = AmlsimEvaluation.run(data, rules);
        if (args.flag("json")) {
            System.out.println(new ObjectMapper().writeValueAsString(json(r, dir, rulesArg, rules)));
        } else {
            print(r, dir, rulesArg);
        }
        return 0;
    }

    private static Path defaultDataset() {
        Path found = AmlsimDataset.locate(Path.of(""));
        String home = System.getProperty("fundwatch.apicurio.home");
        if (found == null && home != null) {
            found = AmlsimDataset.locate(Path.of(home));
        }
        return found;
    }

    private static Map<String, Object> json(AmlsimEvaluation.Result r, Path dir, String rulesFile,
            List<DetectorRule> rules) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dir.toString());
        out.put("rules", rulesFile == null ? "bundled:" + RuleSet.BUNDLED_AMLSIM : rulesFile);
        Map<String, Object> versions = new LinkedHashMap<>();
        rules.forEach(rule -> versions.put(rule.getDetector(), rule.getVersion()));
        out.put("ruleVersions", versions);
        out.put("payments", r.payments());
        out.put("deadLetters", r.deadLetters());
        out.put("flaggedAccounts", r.flaggedAccounts());
        out.put("alerts", r.alertIds());
        out.put("alertRevisions", r.alertRevisions());
        out.put("duplicateRevisions", r.duplicateRevisions());
        Map<String, Object> types = new LinkedHashMap<>();
        r.byType().forEach((t, s) -> types.put(t, score(s)));
        out.put("byPatternType", types);
        out.put("target", score(r.targetHubs()));
        out.put("falsePositiveAccounts", r.falsePositiveAccounts());
        out.put("runMillis", r.millis());
        return out;
    }

    private static Map<String, Object> score(AmlsimEvaluation.Score s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patterns", s.patterns());
        m.put("found", s.found());
        m.put("precision", round(s.precision()));
        m.put("recall", round(s.recall()));
        m.put("alerts", s.alerts());
        m.put("falsePositives", s.falsePositives());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void print(AmlsimEvaluation.Result r, Path dir, String rulesFile) {
        System.out.printf(Locale.ROOT, "AMLSim %s: %d payments replayed, %d dead letters, rules %s%n", dir,
                r.payments(), r.deadLetters(), rulesFile == null ? "bundled " + RuleSet.BUNDLED_AMLSIM : rulesFile);
        System.out.printf(Locale.ROOT, "%-22s %8s %6s %9s %7s %7s%n", "pattern type", "patterns", "found",
                "precision", "recall", "alerts");
        for (AmlsimEvaluation.Score s : r.byType().values()) {
            row(s);
        }
        row(r.targetHubs());
        System.out.printf(Locale.ROOT, "%d accounts flagged (%d alerts, %d revisions); %d hub of no pattern: %s%n",
                r.flaggedAccounts(), r.alertIds(), r.alertRevisions(), r.falsePositiveAccounts().size(),
                r.falsePositiveAccounts());
        System.out.printf(Locale.ROOT, "run time %.1f s%n", r.millis() / 1000.0);
    }

    private static void row(AmlsimEvaluation.Score s) {
        System.out.printf(Locale.ROOT, "%-22s %8d %6d %9.3f %7.3f %7d%n", s.type(), s.patterns(), s.found(),
                s.precision(), s.recall(), s.alerts());
    }
}
