package fundwatch.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.AccountRole;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.TxType;
import fundwatch.schemas.registry.InMemorySchemaRegistryClient;
import fundwatch.topology.FundwatchTopology;
import fundwatch.topology.TopologySettings;
import fundwatch.topology.catalog.TopicCatalog;
import fundwatch.topology.catalog.TopicNames;
import fundwatch.topology.lookthrough.LookThroughTopology;
import fundwatch.topology.registry.RegistryVersions;
import fundwatch.topology.support.FundwatchMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The D8 query answers, built from the stores of the real topology after a planted self-financing path. */
class TraceJsonTest {
    private static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");
    private final TopicCatalog topics = TopicCatalog.create(TopicNames.defaults(), new InMemorySchemaRegistryClient());
    private TopologyTestDriver driver;
    private TestInputTopic<String, ClearingPayment> clearing;
    private TestInputTopic<String, CustodyTransaction> custody;
    private List<FundFlowAlert> alerts;

    @BeforeEach
    void givenAShellLoanThatReachesTheRelatedPartyThroughOneIntermediary() throws Exception {
        FundwatchMetrics metrics = FundwatchMetrics.detached();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fundwatch-trace-test");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("fundwatch-ttd-").toString());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(FundwatchMetrics.CONFIG_KEY, metrics);
        p.put(RegistryVersions.CONFIG_KEY, new RegistryVersions());
        driver = new TopologyTestDriver(FundwatchTopology.build(topics, TopologySettings.defaults(), metrics), p, T0);
        StringSerializer keys = new StringSerializer();
        clearing = driver.createInputTopic(topics.clearingPayments().name(), keys,
                topics.clearingPayments().valueSerde().serializer());
        custody = driver.createInputTopic(topics.custodyTransactions().name(), keys,
                topics.custodyTransactions().valueSerde().serializer());
        TestInputTopic<String, Platform> platforms = driver.createInputTopic(topics.platforms().name(), keys,
                topics.platforms().valueSerde().serializer());
        TestInputTopic<String, AccountRegistration> accounts = driver.createInputTopic(topics.accounts().name(), keys,
                topics.accounts().valueSerde().serializer());
        platforms.pipeInput("P-1", Platform.newBuilder().setPlatformId("P-1").setName("P one")
                .setKind(PlatformKind.P2P_LENDING).setLicensed(true).setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.parse("2019-01-01T00:00:00Z")).build(), T0);
        accounts.pipeInput("P1-CM", account("P1-CM", AccountPurpose.CUSTODY_MASTER, "pty-p1"), T0);
        accounts.pipeInput("P1-RP", account("P1-RP", AccountPurpose.RELATED_PARTY, "pty-exec"), T0);

        custody.pipeInput("P-1", CustodyTransaction.newBuilder().setEventId("D-1").setCustodianId("CB-1")
                .setPlatformId("P-1").setType(TxType.LOAN_DISBURSEMENT).setDebitAccountId("SUB-B1")
                .setDebitRole(AccountRole.BORROWER).setDebitPartyId("pty-shell").setCreditAccountId("SHELL")
                .setCreditRole(AccountRole.EXTERNAL).setCreditPartyId("pty-shell").setAmountMinor(120_000_000)
                .setCurrency("CNY").setEventTime(T0).build(), T0);
        pay("L-1", "P1-CM", "SHELL", 120_000_000, 1);
        pay("X-1", "SHELL", "MID", 120_000_000, 60);
        pay("X-2", "MID", "P1-RP", 100_000_000, 120);
        alerts = driver.createOutputTopic(topics.alerts().name(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer()).readValuesToList();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static AccountRegistration account(String id, AccountPurpose purpose, String holder) {
        return AccountRegistration.newBuilder().setAccountId(id).setBankId("B").setPlatformId("P-1")
                .setHolderPartyId(holder).setPurpose(purpose).build();
    }

    private void pay(String id, String payer, String payee, long minor, int minutes) {
        Instant at = T0.plus(Duration.ofMinutes(minutes));
        clearing.pipeInput(payer, ClearingPayment.newBuilder().setPaymentId(id).setClearingHouse("CNAPS")
                .setPayerAccountId(payer).setPayerBankId("B").setPayerPartyId("pty-" + payer)
                .setPayerPartyType(PartyType.CORPORATE).setPayeeAccountId(payee).setPayeeBankId("B")
                .setPayeePartyId("pty-" + payee).setPayeePartyType(PartyType.CORPORATE).setAmountMinor(minor)
                .setCurrency("CNY").setEventTime(at).build(), at);
    }

    @Test
    void shouldShowTheAlertsPathHopByHop() throws Exception {
        FundFlowAlert alert = alerts.stream().filter(a -> a.getDetector().equals("SELF_FINANCING")).findFirst()
                .orElseThrow();

        JsonNode trace = TraceJson.JSON.readTree(TraceJson.alert(alert,
                driver.getKeyValueStore(LookThroughTopology.SELF_PATHS_STORE),
                driver.getKeyValueStore(LookThroughTopology.RECEIVED_STORE)).toString());

        assertEquals("SELF_FINANCING", trace.get("detector").asText());
        assertEquals("P-1", trace.get("subjectId").asText());
        assertEquals(1, trace.get("paths").size());
        JsonNode path = trace.get("paths").get(0);
        assertEquals("X-2", path.get("evidenceEventId").asText());
        assertEquals("P1-RP", path.get("finalAccountId").asText());
        assertEquals("LOAN", path.get("originKind").asText());
        assertEquals("pty-shell", path.get("borrowerPartyId").asText());
        assertEquals(100_000_000, path.get("amountMinor").asLong());
        JsonNode hops = path.get("hops");
        assertEquals(3, hops.size());
        assertEquals("L-1", hops.get(0).get("paymentId").asText());
        assertEquals("P1-CM", hops.get(0).get("payerAccountId").asText());
        assertEquals(1, hops.get(0).get("hop").asInt());
        assertEquals("X-1", hops.get(1).get("paymentId").asText());
        assertEquals("MID", hops.get(2).get("payerAccountId").asText());
        assertEquals(100_000_000, hops.get(2).get("tracedAmountMinor").asLong());
        assertEquals("2026-11-28T04:00:00Z", hops.get(2).get("eventTime").asText());
    }

    @Test
    void shouldShowWhatAnIntermediaryReceivedAndStillHolds() throws Exception {
        JsonNode mid = TraceJson.JSON.readTree(TraceJson.account("MID",
                driver.getKeyValueStore(LookThroughTopology.RECEIVED_STORE),
                driver.getKeyValueStore(LookThroughTopology.HOLDINGS_STORE), TraceJson.DEFAULT_HORIZON_MILLIS)
                .toString());

        assertEquals("MID", mid.get("accountId").asText());
        assertEquals(1, mid.get("received").size());
        assertEquals(120_000_000, mid.get("received").get(0).get("amountMinor").asLong());
        assertEquals(2, mid.get("received").get(0).get("hop").asInt());
        // It paid ¥1,000,000 of the ¥1,200,000 on: ¥200,000 traced money is still held there
        assertEquals(1, mid.get("holdings").size());
        assertEquals(20_000_000, mid.get("holdings").get(0).get("amountMinor").asLong());
        assertEquals("P-1", mid.get("holdings").get(0).get("originPlatformId").asText());
        assertEquals(2, mid.get("holdings").get(0).get("hops").size());
    }
}
