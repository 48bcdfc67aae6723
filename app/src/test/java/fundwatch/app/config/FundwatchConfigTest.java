package fundwatch.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FundwatchConfigTest {
    @TempDir
    Path dir;

    private Path file(String body) throws Exception {
        Path f = dir.resolve("fundwatch.properties");
        Files.writeString(f, body);
        return f;
    }

    @Test
    void shouldLayerDefaultsThenFileThenEnvironmentThenFlags() throws Exception {
        Path f = file("bootstrap.servers=file:9092\nschema.registry.url=http://file:8081\nhttp.port=9000\n");
        Map<String, String> env = Map.of(
                "FUNDWATCH_SCHEMA_REGISTRY_URL", "http://env:8081",
                "FUNDWATCH_HTTP_PORT", "9100",
                "FUNDWATCH_HOME", "/opt/fundwatch",   // the launcher's own variable, not a config key
                "PATH", "/usr/bin");
        Map<String, String> flags = Map.of("http.port", "9200");

        FundwatchConfig c = FundwatchConfig.load(f, env, flags);

        assertEquals("file:9092", c.get("bootstrap.servers"));             // file over default
        assertEquals("http://env:8081", c.get("schema.registry.url"));     // env over file
        assertEquals(9200, c.httpPort());                                  // flag over env
        assertEquals("fundwatch", c.get("application.id"));                // default
        assertTrue(c.origin("http.port").startsWith("flag"));
        assertTrue(c.origin("schema.registry.url").startsWith("environment FUNDWATCH_SCHEMA_REGISTRY_URL"));
    }

    @Test
    void shouldRefuseUnknownKeysNamingWhereTheyCameFrom() throws Exception {
        Path f = file("bootstrap.server=typo:9092\n");

        FundwatchConfig.ConfigException e = assertThrows(FundwatchConfig.ConfigException.class,
                () -> FundwatchConfig.load(f, Map.of("FUNDWATCH_HTTP_PROT", "1"), Map.of()));

        assertTrue(e.getMessage().contains("unknown key 'bootstrap.server' (from config file"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'http.prot' (from environment FUNDWATCH_HTTP_PROT)"),
                e.getMessage());
    }

    @Test
    void shouldRefuseToGiveUpExactlyOnce() {
        FundwatchConfig.ConfigException e = assertThrows(FundwatchConfig.ConfigException.class,
                () -> FundwatchConfig.load(null, Map.of(), Map.of("processing.guarantee", "at_least_once")));

        assertTrue(e.getMessage().contains("processing.guarantee must be exactly_once_v2"), e.getMessage());
    }

    @Test
    void shouldRefuseTwoRolesForOneTopicAndMalformedDurations() {
        assertThrows(FundwatchConfig.ConfigException.class, () -> FundwatchConfig.load(null, Map.of(),
                Map.of("topics.alerts", "clearing.payments")));
        assertThrows(FundwatchConfig.ConfigException.class, () -> FundwatchConfig.load(null, Map.of(),
                Map.of("dedup.span", "7 days")));
    }

    @Test
    void shouldPassSaslSslAndTlsSettingsToEveryKafkaClient() {
        FundwatchConfig c = FundwatchConfig.load(null, Map.of(), Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"fundwatch\" password=\"s3cret\";",
                "ssl.truststore.location", "/etc/fundwatch/truststore.p12",
                "ssl.truststore.password", "changeit",
                "ssl.endpoint.identification.algorithm", "https"));

        Properties props = c.streamsProperties();
        StreamsConfig streams = new StreamsConfig(props);
        Map<String, Object> consumer = streams.getMainConsumerConfigs("g", "c", 0);
        Map<String, Object> producer = streams.getProducerConfigs("p");
        Map<String, Object> admin = streams.getAdminConfigs("a");
        for (Map<String, Object> client : java.util.List.of(consumer, producer, admin)) {
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
            assertEquals("/etc/fundwatch/truststore.p12", client.get("ssl.truststore.location"));
            assertTrue(String.valueOf(client.get("sasl.jaas.config")).contains("ScramLoginModule"));
        }
        // fundwatch's own keys do not leak into the Kafka clients.
        assertFalse(props.containsKey("http.port"));
        assertFalse(props.containsKey("topics.alerts"));
        // Secrets are masked when the effective configuration is shown.
        assertTrue(c.describe().get("sasl.jaas.config").startsWith("******"));
        assertTrue(c.describe().get("ssl.truststore.password").startsWith("******"));
    }

    @Test
    void shouldPassRegistryBasicAuthAndTlsToTheRegistryClientOnly() {
        FundwatchConfig c = FundwatchConfig.load(null, Map.of(), Map.of(
                "schema.registry.url", "https://registry:8081",
                "schema.registry.basic.auth.user.info", "fundwatch:secret",
                "schema.registry.ssl.truststore.location", "/etc/fundwatch/registry-trust.p12",
                "schema.registry.ssl.truststore.password", "changeit"));

        Map<String, Object> registry = c.registryConfig();
        assertEquals("https://registry:8081", registry.get("schema.registry.url"));
        assertEquals("fundwatch:secret", registry.get("schema.registry.basic.auth.user.info"));
        assertEquals("/etc/fundwatch/registry-trust.p12", registry.get("schema.registry.ssl.truststore.location"));
        assertFalse(c.streamsProperties().containsKey("schema.registry.basic.auth.user.info"));
    }
}
