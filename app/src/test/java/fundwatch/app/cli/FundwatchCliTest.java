package fundwatch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.app.config.FundwatchConfig;
import fundwatch.simulator.TopicRole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The launcher's command line, through the same CommandLine that bin/fundwatch executes; nothing is started. */
class FundwatchCliTest {

    /** Exit code, stdout and stderr of one command line. */
    record Outcome(int code, String out, String err) {
    }

    private static Outcome execute(String... argv) {
        CommandLine cl = FundwatchCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(argv);
        return new Outcome(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"run, --config", "demo, --duration", "simulate, --time-scale", "rules, --dry-run",
            "evaluate, --alerts-from-topic", "completion, SHELL"})
    void shouldPrintEachCommandsOwnOptionsOnHelp(String command, String ownOption) {
        Outcome o = execute(command, "--help");

        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Usage: fundwatch " + command), o.out());
        assertTrue(o.out().contains(ownOption), o.out());
        assertTrue(o.out().contains("--version"), o.out());
    }

    @Test
    void shouldAnswerVersionEverywhere() {
        for (String command : List.of("run", "demo", "simulate", "rules", "evaluate", "completion")) {
            Outcome o = execute(command, "--version");
            assertEquals(0, o.code(), command);
            assertTrue(o.out().startsWith("fundwatch "), o.out());
        }
    }

    @ParameterizedTest
    @CsvSource({"simulate, --seeed, --seed", "demo, --jsn, --json", "evaluate, --markt, --market",
            "rules, --dryrun, --dry-run", "run, --confg, --config"})
    void shouldNameAMistypedFlagAndSuggestTheIntendedOne(String command, String typo, String meant) {
        // Given a flag one letter off; when run (with a value after it, as a user would type), then exit 2
        Outcome o = execute(command, typo, "3");

        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("Unknown option") && o.err().contains("'" + typo + "'"), o.err());
        assertTrue(o.err().contains("Possible solutions: " + meant), o.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--days=abc", "--duration=5x", "--schemes=PONZY", "--volume=0", "--rate=-1"})
    void shouldNameTheFlagOfABadValueWithoutStartingAnything(String bad) {
        Outcome o = execute("simulate", bad);

        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(bad.substring(0, bad.indexOf('='))), o.err());
    }

    @Test
    void shouldListTheAllowedValuesOfAnEnumeratedArgument() {
        Outcome o = execute("completion", "fish");

        assertEquals(2, o.code());
        assertTrue(o.err().contains("[bash, zsh]") && o.err().contains("'fish'"), o.err());
    }

    @Test
    void shouldPrintUsageAndExit2WithoutACommand() {
        Outcome o = execute();

        assertEquals(2, o.code());
        assertTrue(o.err().contains("Commands:") && o.err().contains("simulate"), o.err());
    }

    @Test
    void shouldGenerateABashCompletionThatKnowsEveryCommandAndFlag() {
        Outcome o = execute("completion", "bash");

        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("complete -F"), "a bash completion script");
        for (String word : List.of("simulate", "evaluate", "--time-scale", "--alerts-from-topic", "--no-market")) {
            assertTrue(o.out().contains(word), word);
        }
    }

    @Test
    void shouldNameTheFileAndLineOfBadInputInsteadOfCrashing(@TempDir Path dir) throws Exception {
        // Given a valid truth file, an alert log whose second line is not an alert, and a truth file that is not one
        Path truth = Files.writeString(dir.resolve("truth.jsonl"), "{\"scheme\":\"PONZI\",\"detectors\":"
                + "[\"ABNORMAL_YIELD\"],\"subjectId\":\"P-1\",\"onsetEventTime\":\"2026-01-01T00:00:00Z\"}\n");
        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "fundwatch demo: a log line\n{\"detector\":1}\n");
        Path notTruth = Files.writeString(dir.resolve("bad.jsonl"), "{\"scheme\":\"PONZI\"\n");

        Outcome badAlerts = execute("evaluate", "--truth", truth.toString(), "--alerts", alerts.toString());
        Outcome badTruth = execute("evaluate", "--truth", notTruth.toString(), "--alerts", alerts.toString());
        Outcome missing = execute("evaluate", "--truth", dir.resolve("none.jsonl").toString(), "--alerts", "x");

        assertEquals(2, badAlerts.code(), badAlerts.err());
        assertTrue(badAlerts.err().contains("line 2") && badAlerts.err().contains("no alertId"), badAlerts.err());
        assertEquals(2, badTruth.code(), badTruth.err());
        assertTrue(badTruth.err().contains("is not a truth file"), badTruth.err());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(!badAlerts.err().contains("\tat ") && !badTruth.err().contains("\tat "), "no stack trace");
    }

    @Test
    void shouldRefuseAnUnknownConfigurationKeyNamingIt() {
        Outcome o = execute("rules", "--reset", "CUSTODY_BYPASS", "--dry-run", "--bootstrap.server=typo:9092");

        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("unknown key 'bootstrap.server' (from flag --bootstrap.server)"), o.err());
    }

    @Test
    void shouldConfigureSimulateExactlyLikeRun() throws Exception {
        // Given simulate with a config key flag, the environment and its own named flag
        CommandLine cl = FundwatchCli.commandLine();
        CommandLine sub = cl.getSubcommands().get("simulate");
        cl.parseArgs("simulate", "--bootstrap-servers", "flag:9092", "--topics.custody.transactions=bank.custody",
                "--security.protocol", "SASL_SSL", "--producer.linger.ms=20");
        SimulateCommand parsed = sub.getCommand();

        // When its configuration is loaded as run loads it (same factory), with the environment
        FundwatchConfig config = parsed.config.load(Map.of(
                "FUNDWATCH_SASL_MECHANISM", "SCRAM-SHA-512",
                "FUNDWATCH_BOOTSTRAP_SERVERS", "env:9092",
                "FUNDWATCH_SCHEMA_REGISTRY_URL", "https://registry:8081",
                "FUNDWATCH_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "sim:secret"),
                Map.of("bootstrap.servers", "flag:9092"));

        // Then the producer gets the security settings, the named flag beats the environment, and the topics and
        // registry are the configured ones
        Map<String, Object> producer = config.producerProperties();
        assertEquals("flag:9092", producer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
        assertEquals("20", producer.get("linger.ms"));
        assertTrue(!producer.containsKey("application.id") && !producer.containsKey("schema.registry.url"), producer
                .toString());
        assertEquals("sim:secret", config.registryConfig().get("schema.registry.basic.auth.user.info"));
        assertEquals("bank.custody", SimulateCommand.topics(config.topicNames()).get(TopicRole.CUSTODY));
    }
}
