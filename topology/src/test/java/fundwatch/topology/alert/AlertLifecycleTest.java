package fundwatch.topology.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Severity;
import fundwatch.avro.SubjectType;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.support.FundwatchMetrics;
import fundwatch.topology.support.JsonSerde;
import fundwatch.topology.support.TopologyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared alert lifecycle on its own: findings in, FundFlowAlerts out. Each finding is what a detector would
 * report for one window; the lifecycle alone decides which episode (alertId) and revision it is.
 */
class AlertLifecycleTest {
    /** Midnight Beijing (16:00 UTC): where the detectors' day windows start. */
    private static final Instant DAY0 = Instant.parse("2026-09-30T16:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final FundwatchMetrics metrics = FundwatchMetrics.detached();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Finding> findings;
    private TestOutputTopic<String, FundFlowAlert> alerts;

    @BeforeEach
    void givenTheLifecycleBehindATopicOfFindings() {
        TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), new InMemorySchemaRegistryClient());
        StreamsBuilder builder = new StreamsBuilder();
        Alerts.emit(builder, builder.stream("findings", Consumed.with(Serdes.String(), JsonSerde.of(Finding.class))
                .withName("findings-source")), "test", topics, metrics);
        driver = new TopologyTestDriver(builder.build(), TopologyFixture.properties(metrics),
                TopologyFixture.CLOCK);
        findings = driver.createInputTopic("findings", new StringSerializer(),
                JsonSerde.of(Finding.class).serializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static long day(int n) {
        return DAY0.toEpochMilli() + n * DAY;
    }

    /** A detector's verdict on subject P-1 for the window [start, end), its newest event at {@code newest}. */
    private static Finding finding(String subject, long start, long end, long newest, Severity severity,
            double material) {
        return new Finding("FUND_POOLING", subject, SubjectType.PLATFORM, subject, "110000", start, end, newest,
                severity, 0.8, Map.of("unmatchedAmountMinor", material), Map.of(), List.of(), "default",
                "pooling", material, 0.25);
    }

    /** The one-day window of day n, its newest event at 10:00. */
    private static Finding daily(int n, double material) {
        return finding("P-1", day(n), day(n + 1), day(n) + Duration.ofHours(10).toMillis(), Severity.HIGH, material);
    }

    private void send(Finding f) {
        findings.pipeInput(f.subjectId(), f, f.lastEventTime());
    }

    private double dropped(String reason) {
        return metrics.count(AlertLifecycleProcessor.DROPPED_METRIC, "detector", "FUND_POOLING", "reason", reason);
    }

    @Test
    void shouldContinueOneEpisodeWhileDailyWindowsKeepFiring() {
        // Ten consecutive days of the same scheme: each day's window touches the one before.
        for (int d = 0; d < 10; d++) {
            send(daily(d, 1_000));
        }

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(1, out.stream().map(FundFlowAlert::getAlertId).distinct().count());
        // Each new day is news (a revision), and the episode spans every day so far.
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), out.stream().map(FundFlowAlert::getRevision).toList());
        FundFlowAlert last = out.get(9);
        assertEquals(Instant.ofEpochMilli(day(0)), last.getWindowStart());
        assertEquals(Instant.ofEpochMilli(day(10)), last.getWindowEnd());
        assertEquals(AlertIds.episode("test-alert-lifecycle-store", "FUND_POOLING", "PLATFORM", "P-1", "P-1",
                day(0)), last.getAlertId());
    }

    @Test
    void shouldNotSprayRevisionsWhenOneWindowGrowsQuickly() {
        // A backlog replay: the same day's finding arrives 50 times, growing by 1 % each time.
        double amount = 1_000;
        for (int i = 0; i < 50; i++) {
            send(daily(0, amount));
            amount *= 1.01;
        }

        // Re-emitted only at 25 % growth over the last emitted revision: 1.01^50 = 1.64, so revisions at 1.0,
        // ≥ 1.25 and ≥ 1.5625.
        assertEquals(3, alerts.readValuesToList().size());
    }

    @Test
    void shouldCloseAnEpisodeAfterAFullWindowWithoutFiring() {
        send(daily(0, 1_000));
        send(daily(1, 1_000));
        // Day 2 is quiet: a full one-day window without firing closes the episode.
        send(daily(3, 1_000));
        // A gap longer than the window: a third episode.
        send(daily(8, 1_000));

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(List.of(1, 2, 1, 1), out.stream().map(FundFlowAlert::getRevision).toList());
        assertEquals(3, out.stream().map(FundFlowAlert::getAlertId).distinct().count());
        assertEquals(Instant.ofEpochMilli(day(3)), out.get(2).getWindowStart());
        assertEquals(3d, metrics.count(AlertLifecycleProcessor.EPISODES_METRIC, "detector", "FUND_POOLING"));
    }

    @Test
    void shouldContinueASlidingWindowUntilAWholeWindowLengthPassesWithoutFiring() {
        // A 30-day sliding window judged each day, reported from its start (D5's shape): fired on days 30 and 59…
        send(finding("P-1", day(1), day(31), day(30) + 1, Severity.HIGH, 1_000));
        // …29 quiet days later the window ending day 59 still overlaps the last one that fired.
        send(finding("P-1", day(30), day(60), day(59) + 1, Severity.HIGH, 1_000));
        // Day 90: the 30 days 60…89 passed without firing; a new episode.
        send(finding("P-1", day(61), day(91), day(90) + 1, Severity.HIGH, 1_000));

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(List.of(1, 2, 1), out.stream().map(FundFlowAlert::getRevision).toList());
        assertEquals(out.get(0).getAlertId(), out.get(1).getAlertId());
        assertNotEquals(out.get(1).getAlertId(), out.get(2).getAlertId());
    }

    @Test
    void shouldKeepALateFindingOfTheDayBeforeInTheOpenEpisode() {
        // Day 5 fires first; a late event then makes day 4 fire (within the detector's grace).
        send(daily(5, 1_000));
        send(daily(4, 2_000));

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(1, out.stream().map(FundFlowAlert::getAlertId).distinct().count());
        assertEquals(Instant.ofEpochMilli(day(4)), out.get(1).getWindowStart());
        // The id stays the one the episode opened with.
        assertEquals(AlertIds.episode("test-alert-lifecycle-store", "FUND_POOLING", "PLATFORM", "P-1", "P-1",
                day(5)), out.get(1).getAlertId());
    }

    @Test
    void shouldDropAFindingThatBelongsToAnEarlierClosedEpisode() {
        send(daily(0, 1_000));
        send(daily(5, 1_000));
        // Day 1 belongs to the first episode, which is no longer remembered: never a revision of the wrong one.
        send(daily(1, 5_000));

        assertEquals(2, alerts.readValuesToList().size());
        assertEquals(1d, dropped("closed-episode"));
    }

    @Test
    void shouldNeverRestartAnAlertIdsRevisionsAfterItsEpisodeWasForgotten() {
        // A product-like finding whose window is fixed (issued on day 0, a 30-day term): fired on day 0.
        Finding product = finding("PR-1", day(0), day(30), day(0) + 1, Severity.HIGH, 1_000);
        send(product);
        // Stream time passes the episode's retention (two window lengths after it last fired) by far.
        send(finding("P-OTHER", day(200), day(201), day(200) + 1, Severity.HIGH, 1));
        // The detector re-reports the same window with fresh evidence: the old episode is forgotten, but it must
        // not come back as revision 1 of the old id.
        send(finding("PR-1", day(0), day(30), day(200) + 2, Severity.HIGH, 1_000));
        // And a finding whose newest event is older than anything kept is counted and dropped.
        send(finding("PR-1", day(0), day(30), day(1), Severity.CRITICAL, 9_000));

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(3, out.size());
        Set<String> pairs = new HashSet<>();
        out.forEach(a -> assertTrue(pairs.add(a.getAlertId() + "#" + a.getRevision()), "repeated " + a.getAlertId()));
        assertNotEquals(out.get(0).getAlertId(), out.get(2).getAlertId());
        assertEquals(1d, dropped("expired"));
    }

    @Test
    void shouldPlaceAFindingJudgedOnASlowerInputWhileStreamTimeRunsDaysAhead() {
        // A backlog: another input of the task (another subject's findings, stream time) is twenty days ahead
        send(finding("P-OTHER", day(20), day(21), day(20) + 1, Severity.HIGH, 1));
        // When P-1's day 0 is judged only now, on its own input
        send(daily(0, 1_000));

        // Then it is neither dropped nor given another id than the same input read live gives
        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(2, out.size());
        assertEquals(AlertIds.episode("test-alert-lifecycle-store", "FUND_POOLING", "PLATFORM", "P-1", "P-1",
                day(0)), out.get(1).getAlertId());
        assertEquals(0d, dropped("expired"));
    }

    @Test
    void shouldEmitUniqueRevisionsWhateverTheOrderAcrossPurges() {
        // Episodes of one subject, interleaved with long silences that let the lifecycle forget them, and
        // repeated windows: every (alertId, revision) emitted is unique.
        int[] days = {0, 1, 2, 2, 30, 31, 31, 120, 121, 300, 300, 301};
        for (int d : days) {
            send(daily(d, 1_000 + d));
            send(finding("P-1", day(0), day(400), day(d) + 1, Severity.HIGH, 7)); // a fixed, long window
        }
        List<FundFlowAlert> out = alerts.readValuesToList();
        Set<String> pairs = new HashSet<>();
        out.forEach(a -> assertTrue(pairs.add(a.getAlertId() + "#" + a.getRevision()),
                "(alertId, revision) emitted twice: " + a.getAlertId() + " #" + a.getRevision()));
    }

    @Test
    void shouldKeepSeparateEpisodesForOneSubjectInDifferentPlatformScopes() {
        // D7's shape: one borrower judged on platform P-1 and across platforms (platformId null), same windows.
        Finding onP1 = new Finding("BORROWING_CAP", "pty-b", SubjectType.PARTY, "P-1", "110000", day(0), day(30),
                day(0) + 1, Severity.HIGH, 0.8, Map.of(), Map.of(), List.of(), "default", "cap", 1_000, 0.25);
        Finding across = new Finding("BORROWING_CAP", "pty-b", SubjectType.PARTY, null, null, day(0), day(30),
                day(0) + 2, Severity.HIGH, 0.8, Map.of(), Map.of(), List.of(), "default", "cap", 4_000, 0.25);
        send(onP1);
        send(across);

        List<FundFlowAlert> out = alerts.readValuesToList();
        assertEquals(List.of(1, 1), out.stream().map(FundFlowAlert::getRevision).toList());
        assertNotEquals(out.get(0).getAlertId(), out.get(1).getAlertId());
    }

    @Test
    void shouldNeverShareAnIdBetweenTwoLifecyclesReportingTheSameDetectorAndSubject() {
        // D4a and D4b both report ABNORMAL_YIELD about a product, each through its own lifecycle (its own
        // revision counter): the same window start must still give two ids, or (id, revision 1) would repeat.
        TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), new InMemorySchemaRegistryClient());
        StreamsBuilder builder = new StreamsBuilder();
        var source = builder.stream("findings", Consumed.with(Serdes.String(), JsonSerde.of(Finding.class))
                .withName("findings-source"));
        Alerts.emit(builder, source, "declared", topics, metrics);
        Alerts.emit(builder, source, "realised", topics, metrics);
        try (TopologyTestDriver two = new TopologyTestDriver(builder.build(), TopologyFixture.properties(metrics),
                TopologyFixture.CLOCK)) {
            Finding f = daily(0, 1_000);
            two.createInputTopic("findings", new StringSerializer(), JsonSerde.of(Finding.class).serializer())
                    .pipeInput(f.subjectId(), f, f.lastEventTime());
            List<FundFlowAlert> out = two.createOutputTopic(topics.alerts().name(), new StringDeserializer(),
                    topics.alerts().valueSerde().deserializer()).readValuesToList();

            assertEquals(2, out.size());
            assertNotEquals(out.get(0).getAlertId(), out.get(1).getAlertId());
        }
    }

    @Test
    void shouldDeriveTheSameIdsFromTheSameInput() {
        for (int d : new int[] {0, 1, 2, 6, 7}) {
            send(daily(d, 1_000));
        }
        List<String> first = alerts.readValuesToList().stream().map(FundFlowAlert::getAlertId).toList();
        close();
        givenTheLifecycleBehindATopicOfFindings();
        for (int d : new int[] {0, 1, 2, 6, 7}) {
            send(daily(d, 1_000));
        }
        List<String> second = alerts.readValuesToList().stream().map(FundFlowAlert::getAlertId).toList();

        assertEquals(first, second);
        assertEquals(2, first.stream().distinct().count());
    }
}
