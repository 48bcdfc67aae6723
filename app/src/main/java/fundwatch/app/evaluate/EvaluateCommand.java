package fundwatch.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import fundwatch.app.cli.FundwatchCli;
import fundwatch.app.cli.MarketOptions;
import fundwatch.app.cli.ProgressOptions;
import fundwatch.app.progress.Progress;
import fundwatch.avro.DetectorRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fundwatch evaluate}: scores fundwatch against labelled data — the AMLSim export ({@code --amlsim}), a
 * simulated market replayed here ({@code --market}), or any alerts against a truth file ({@code --truth}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = FundwatchCli.Version.class,
        usageHelpWidth = FundwatchCli.WIDTH, sortOptions = false,
        header = "Score alerts against labelled data: AMLSim, a simulated market, or a truth file.",
        description = {"Score fundwatch against labelled data, one of:",
                "  [--amlsim DIR] [--rules FILE]   replay AMLSim's labelled export through the topology",
                "  --market [--seed N] [--days N] ...   simulate a market, replay it through the topology",
                "  --truth FILE --alerts FILE   alerts (demo --json output) against a market's truth",
                "  --truth FILE --alerts-from-topic TOPIC --bootstrap-servers B --schema-registry URL",
                "Per detector (or AMLSim pattern type): precision, recall and detection delay."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--amlsim", paramLabel = "DIR", description = "AMLSim export (transactions.csv, accounts.csv, "
            + "alert_transactions.csv); default: the amlsim-ext1K export in the shared datasets folder beside the "
            + "repository.")
    Path amlsim;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rule records for --amlsim (default: the "
            + "committed AMLSim rules).")
    Path rules;

    @Option(names = "--market", description = "Simulate a market and replay it through the topology.")
    boolean market;

    @Mixin
    MarketOptions marketOptions;

    @Option(names = "--truth", paramLabel = "FILE", description = "Ground truth (JSON lines), as demo/simulate "
            + "--truth write it.")
    Path truth;

    @Option(names = "--alerts", paramLabel = "FILE", description = "Alerts as JSON lines (demo --json output).")
    Path alerts;

    @Option(names = "--alerts-from-topic", paramLabel = "TOPIC", description = "Read the alerts from this topic "
            + "(read_committed, from the beginning).")
    String alertsTopic;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "For --alerts-from-topic.")
    String bootstrap;

    @Option(names = "--schema-registry", paramLabel = "URL", description = "For --alerts-from-topic.")
    String registryUrl;

    @Option(names = "--json", description = "One JSON object on stdout instead of a table.")
    boolean json;

    @Mixin
    ProgressOptions progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int modes = (market ? 1 : 0) + (truth != null ? 1 : 0) + (amlsim != null || rules != null ? 1 : 0);
        if (modes > 1) {
            throw new ParameterException(spec.commandLine(),
                    "choose one of --market, --truth FILE or --amlsim DIR [--rules FILE]");
        }
        if (!market && (alerts != null || alertsTopic != null) && truth == null) {
            throw new ParameterException(spec.commandLine(), "--alerts and --alerts-from-topic need --truth FILE");
        }
        if (market || truth != null) {
            return TruthCommand.main(this);
        }
        Path dir = amlsim != null ? amlsim : defaultDataset();
        if (dir == null || !Files.isRegularFile(dir.resolve("transactions.csv"))) {
            System.err.println("fundwatch: no AMLSim export found" + (dir == null ? " beside the repository" : " in " + dir)
                    + "; pass --amlsim DIR (a directory with transactions.csv, accounts.csv, alert_transactions.csv)");
            return 2;
        }
        AmlsimDataset data = AmlsimDataset.load(dir);
        java.time.Instant first = data.payments().get(0).getEventTime();
        List<DetectorRule> ruleRecords = rules != null ? RuleSet.load(rules, first) : RuleSet.bundledAmlsim(first);
        String rulesArg = rules != null ? rules.toString() : "bundled " + RuleSet.BUNDLED_AMLSIM;
        // Twice, scored the same strict way: with the dataset's rules file, and with the spec's defaults (no rule
        // records at all), so that what the file changes is measured, not assumed.
        AmlsimEvaluation.Result tuned;
        AmlsimEvaluation.Result spec;
        try (Progress p = Progress.start("evaluate --amlsim (" + rulesArg + ")", data.payments().size(), "payments",
                progress.mode)) {
            tuned = AmlsimEvaluation.run(data, ruleRecords, p);
        }
        try (Progress p = Progress.start("evaluate --amlsim (spec defaults)", data.payments().size(), "payments",
                progress.mode)) {
            spec = AmlsimEvaluation.run(data, List.of(), p);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", dir.toString());
            out.put("scoring", "strict: FUND_POOLING expected on each pattern's hub (a cycle: each member), alert "
                    + "window overlapping the pattern's first to last transfer; every other alert is false");
            out.put("rules", json(tuned, rulesArg, ruleRecords));
            out.put("specDefaults", json(spec, "spec defaults (no rule records)", List.of()));
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf(Locale.ROOT, "AMLSim %s: %d payments replayed%n", dir, tuned.payments());
            print(tuned, "rules " + rulesArg);
            print(spec, "spec defaults (no rule records)");
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

    private static Map<String, Object> json(AmlsimEvaluation.Result r, String rulesName, List<DetectorRule> rules) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rules", rulesName);
        Map<String, Object> versions = new LinkedHashMap<>();
        rules.forEach(rule -> versions.put(rule.getDetector(), rule.getVersion()));
        out.put("ruleVersions", versions);
        out.put("payments", r.payments());
        out.put("deadLetters", r.deadLetters());
        out.put("alerts", r.alertIds());
        out.put("alertRevisions", r.alertRevisions());
        out.put("duplicateRevisions", r.duplicateRevisions());
        out.put("detectors", r.detectors());
        out.put("byPatternType", r.byType());
        out.put("target", r.target());
        out.put("runMillis", r.millis());
        return out;
    }

    private static void print(AmlsimEvaluation.Result r, String rules) {
        System.out.printf(Locale.ROOT, "%n%s: %d dead letters, %d alerts (%d revisions), run time %.1f s%n", rules,
                r.deadLetters(), r.alertIds(), r.alertRevisions(), r.millis() / 1000.0);
        TruthCommand.printTable(r.detectors());
        System.out.printf(Locale.ROOT, "%-28s %8s %6s %7s%n", "pattern type (FUND_POOLING)", "patterns", "found",
                "recall");
        for (AmlsimEvaluation.TypeRecall t : r.byType().values()) {
            row(t);
        }
        row(r.target());
    }

    private static void row(AmlsimEvaluation.TypeRecall t) {
        System.out.printf(Locale.ROOT, "%-28s %8d %6d %7.3f%n", t.type(), t.patterns(), t.found(), t.recall());
    }
}
