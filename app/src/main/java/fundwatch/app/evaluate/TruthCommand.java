package fundwatch.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import fundwatch.app.progress.Progress;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.registry.RestSchemaRegistryClient;
import fundwatch.schemas.serde.AvroSerdes;
import fundwatch.simulator.MarketConfig;
import fundwatch.simulator.MarketSimulator;
import fundwatch.simulator.TruthRecord;
import fundwatch.simulator.TruthWriter;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code fundwatch evaluate --truth FILE --alerts FILE|--alerts-from-topic TOPIC} and {@code evaluate --market}:
 * per detector precision, recall and detection delay of alerts against a simulated market's ground truth.
 */
final class TruthCommand {
    private TruthCommand() {
    }

    static int main(EvaluateCommand args) throws Exception {
        List<TruthRecord> truth;
        List<AlertSighting> alerts = new ArrayList<>();
        Map<String, Object> run = new LinkedHashMap<>();
        if (args.market) {
            MarketConfig config = args.marketOptions.builder(14, args.spec.commandLine()).build();
            MarketSimulator market = new MarketSimulator(config);
            truth = market.truth();
            MarketReplay.Result r;
            // The total is counted first: the simulator generates a million events in about two seconds, a small
            // price for an honest ETA on a replay of half an hour.
            try (Progress p = Progress.start("evaluate --market", Progress.size(market.market()), "events",
                    args.progress.mode)) {
                r = MarketReplay.run(market.market(), config.start(), List.of(), p);
            }
            r.alerts().forEach(a -> alerts.add(AlertSighting.of(a)));
            run.put("seed", config.seed());
            run.put("simulatedDays", config.simulatedDays());
            run.put("honestPlatforms", config.honestPlatforms());
            run.put("volume", config.volume());
            run.put("schemes", config.schemes().keySet());
            run.put("events", r.events());
            run.put("deadLetters", r.deadLetters());
            run.put("replayMillis", r.millis());
            run.put("replayEventsPerSecond", r.millis() == 0 ? 0 : r.events() * 1000 / r.millis());
        } else {
            try {
                truth = TruthWriter.read(args.truth);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | java.time.DateTimeException
                    | IllegalArgumentException e) {
                throw new IllegalArgumentException("--truth " + args.truth + " is not a truth file (JSON lines as "
                        + "demo/simulate --truth write them): " + e.getMessage(), e);
            }
            readAlerts(args, alerts);
            run.put("truth", args.truth.toString());
        }
        Map<String, TruthEvaluation.DetectorScore> scores = TruthEvaluation.score(truth, alerts);
        run.put("alertRevisions", alerts.size());
        run.put("truthRecords", truth.stream().filter(t -> !t.isNearMiss()).count());
        run.put("nearMisses", truth.stream().filter(TruthRecord::isNearMiss).count());
        run.put("scoring", "strict: expected detector, the record's own subject, window overlapping [onset - "
                + TruthEvaluation.GRACE.toMinutes() + " min, end]; alerts = alertIds");
        if (args.json) {
            Map<String, Object> out = new LinkedHashMap<>(run);
            out.put("detectors", scores);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            run.forEach((k, v) -> System.out.println(k + ": " + v));
            printTable(scores);
        }
        return 0;
    }

    /** The per-detector table, then the near misses hit and the false positives' subjects by name. */
    static void printTable(Map<String, TruthEvaluation.DetectorScore> scores) {
        System.out.printf(Locale.ROOT, "%-22s %8s %6s %6s %6s %5s %9s %7s %10s %10s %12s %8s%n", "detector",
                "expected", "found", "alerts", "FP", "near", "precision", "recall", "delay p50", "delay max",
                "ids/scheme", "msgs/id");
        scores.values().forEach(s -> System.out.printf(Locale.ROOT,
                "%-22s %8d %6d %6d %6d %5d %9s %7s %10s %10s %12s %8.1f%n",
                s.detector(), s.expected(), s.found(), s.alerts(), s.falsePositives(), s.nearMissesHit().size(),
                ratio(s.precision()), ratio(s.recall()), hours(s.medianDelayHours()), hours(s.maxDelayHours()),
                idsPerScheme(s), s.messagesPerAlertId()));
        for (TruthEvaluation.DetectorScore s : scores.values()) {
            if (!s.nearMissesHit().isEmpty()) {
                System.out.println(s.detector() + " near misses hit: " + String.join(", ", s.nearMissesHit()));
            }
            if (s.falsePositives() > 0) {
                System.out.println(s.detector() + " false positives about: "
                        + String.join(", ", s.falsePositiveSubjects()));
            }
        }
    }

    /** A precision or recall, or "undefined" when nothing was alerted (expected). */
    static String ratio(Double r) {
        return r == null ? "undefined" : String.format(Locale.ROOT, "%.3f", r);
    }

    /** Mean and maximum alertIds per found scheme, e.g. "1.2 (max 2)". */
    private static String idsPerScheme(TruthEvaluation.DetectorScore s) {
        return s.alertIdsPerFoundScheme() == null ? "-"
                : String.format(Locale.ROOT, "%.1f (max %d)", s.alertIdsPerFoundScheme(), s.maxAlertIdsPerScheme());
    }

    private static String hours(Double h) {
        return h == null ? "-" : String.format(Locale.ROOT, "%.1f h", h);
    }

    private static void readAlerts(EvaluateCommand args, List<AlertSighting> alerts) throws Exception {
        Path file = args.alerts;
        String topic = args.alertsTopic;
        if ((file == null) == (topic == null)) {
            throw new picocli.CommandLine.ParameterException(args.spec.commandLine(), "give exactly one of --alerts FILE (JSON lines, as demo --json "
                    + "prints) or --alerts-from-topic TOPIC with --bootstrap-servers and --schema-registry");
        }
        if (file != null) {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader in = Files.newBufferedReader(file)) {
                int n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    n++;
                    if (!line.isBlank() && line.trim().startsWith("{")) {
                        try {
                            alerts.add(AlertSighting.of(json.readTree(line)));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                            throw new IllegalArgumentException("--alerts " + file + " line " + n + ": "
                                    + e.getMessage().lines().findFirst().orElse(""), e);
                        }
                    }
                }
            }
            return;
        }
        String bootstrap = args.bootstrap;
        String registry = args.registryUrl;
        if (bootstrap == null || registry == null) {
            throw new picocli.CommandLine.ParameterException(args.spec.commandLine(), "--alerts-from-topic needs --bootstrap-servers and --schema-registry");
        }
        // Read committed, from the beginning, until the topic has been quiet for a few polls: a case system's view.
        try (KafkaConsumer<String, FundFlowAlert> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fundwatch-evaluate-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                AvroSerdes.forType(FundFlowAlert.class,
                        RestSchemaRegistryClient.fromConfig(Map.of("schema.registry.url", registry))).deserializer())) {
            c.subscribe(List.of(topic));
            int quiet = 0;
            while (quiet < 5) {
                var batch = c.poll(Duration.ofSeconds(1));
                if (batch.isEmpty() && !c.assignment().isEmpty()) {
                    quiet++;
                } else {
                    quiet = 0;
                }
                batch.forEach(r -> alerts.add(AlertSighting.of(r.value())));
            }
        }
    }
}
