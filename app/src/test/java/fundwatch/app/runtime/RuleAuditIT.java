package fundwatch.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.DetectorRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule-change audit trail against a real broker: each rule fundwatch applies gives one fundwatch.audit.rules
 * line with what changed and who published it (the header travels through the topology's validated copy); after
 * a restart, the rules already applied give none.
 */
@Timeout(240)
class RuleAuditIT {
    @TempDir
    Path work;

    @Test
    void shouldLogOneAuditLinePerRuleChangeAppliedWithWhoChangedIt() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("rule-audit-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().addAppender(capture, null, null);
        logging.updateLoggers();
        try (TestStack stack = TestStack.start(work, 2)) {
            String bootstrap = stack.broker.bootstrapServers();
            // Given a rule published before fundwatch's first start: applied (validated) once it runs.
            publish(stack, rule("2026-12-01.1", 20_000_000.0), "before-start");
            try (FundwatchRuntime runtime = start(stack)) {
                // When the regulator lowers the threshold while it runs.
                publish(stack, rule("2026-12-06.1", 5_000_000.0), "ops@desk-7");

                // Then one line per rule applied, in order: versions, the parameter's old and new value, who.
                List<String> audit = awaitAudit(lines, 2);
                assertTrue(audit.get(0).contains("version=2026-12-01.1 previous=default"), audit.get(0));
                assertTrue(audit.get(0).endsWith("by=before-start"), audit.get(0));
                assertTrue(audit.get(1).contains("detector=CUSTODY_BYPASS version=2026-12-06.1 previous=2026-12-01.1"),
                        audit.get(1));
                assertTrue(audit.get(1).contains("highDailyAmountMinor 20000000 -> 5000000"), audit.get(1));
                assertTrue(audit.get(1).endsWith("by=ops@desk-7"), audit.get(1));
            }
            // And after a restart the rules already applied are not logged again: the next change is the only line.
            lines.clear();
            try (FundwatchRuntime runtime = start(stack)) {
                publish(stack, rule("2026-12-07.1", 6_000_000.0), "ops@desk-8");
                List<String> audit = awaitAudit(lines, 1);
                assertEquals(1, audit.size(), audit.toString());
                assertTrue(audit.get(0).contains("version=2026-12-07.1 previous=2026-12-06.1"), audit.get(0));
            }
        } finally {
            logging.getConfiguration().getRootLogger().removeAppender("rule-audit-capture");
            logging.updateLoggers();
            capture.stop();
        }
    }

    private FundwatchRuntime start(TestStack stack) throws Exception {
        FundwatchRuntime runtime = new FundwatchRuntime(ItSupport.config(stack.broker.bootstrapServers(),
                stack.registryProcess.url(), "fundwatch-rule-audit-it", work.resolve("state"), 0), stack.registry);
        runtime.start();
        assertTrue(runtime.awaitRunning(Duration.ofSeconds(90)));
        return runtime;
    }

    /** The audit lines once there are {@code n} of them (and a little after, for any unexpected extra one). */
    private static List<String> awaitAudit(List<String> lines, int n) throws Exception {
        ItSupport.await(() -> lines.stream().filter(l -> l.startsWith("rule change applied")).count() >= n,
                Duration.ofSeconds(60));
        return lines.stream().filter(l -> l.startsWith("rule change applied")).toList();
    }

    private static DetectorRule rule(String version, double high) {
        return DetectorRule.newBuilder().setDetector("CUSTODY_BYPASS").setEnabled(true).setVersion(version)
                .setParams(Map.of("highDailyAmountMinor", high)).setUpdatedAt(Instant.now()).build();
    }

    private static void publish(TestStack stack, DetectorRule rule, String by) throws Exception {
        try (KafkaProducer<String, byte[]> p = ItSupport.producer(stack.broker.bootstrapServers())) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(ItSupport.NAMES.rules(), rule.getDetector(),
                    ItSupport.encode(stack.registry, ItSupport.NAMES.rules(), rule));
            r.headers().add(RuleAudit.CHANGED_BY_HEADER, by.getBytes(StandardCharsets.UTF_8));
            p.send(r).get();
        }
    }
}
