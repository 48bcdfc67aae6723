package fundwatch.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fundwatch.avro.FundFlowAlert;
import fundwatch.schemas.ContractFixtures;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    @Test
    void shouldRenderAnAlertAsPlainJson() {
        // Given an alert with maps, nested evidence, a null union in one evidence item, and Instants
        FundFlowAlert alert = ContractFixtures.alert();

        // When
        ObjectNode json = AvroJson.toJson(alert);

        // Then every field is there, in schema order, as plain JSON values
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(alert.getSchema().getFields().stream().map(f -> f.name()).toList(), names);
        assertEquals("HIGH", json.get("severity").asText());
        assertEquals("P2P-0042", json.get("platformId").asText()); // union: the value, no {"string": …}
        assertEquals(alert.getWindowStart().toEpochMilli(), json.get("windowStart").asLong());
        assertTrue(json.get("windowStart").isIntegralNumber());
        assertEquals(0.62, json.get("metrics").get("poolRatio").asDouble());
        assertEquals(2, json.get("evidence").size());
        JsonNode second = json.get("evidence").get(1);
        assertTrue(second.has("counterpartyId") && second.get("counterpartyId").isNull());
        assertEquals(ContractFixtures.T0.toEpochMilli(), second.get("eventTime").asLong());
        assertEquals(0.87, json.get("score").asDouble());
        assertEquals(2, json.get("revision").asInt());
    }

    @Test
    void shouldWriteNullFieldsAsJsonNull() {
        // Given a product whose optional borrower is unknown
        ObjectNode json = AvroJson.toJson(ContractFixtures.product());

        // Then the field is present and null
        assertTrue(json.has("borrowerPartyId"));
        assertTrue(json.get("borrowerPartyId").isNull());
        assertEquals(365, json.get("underlyingTermDays").asInt());
        assertEquals(true, json.get("guaranteedReturn").asBoolean());
    }

    @Test
    void shouldProduceAStringThatParsesBackToTheSameTree() throws Exception {
        String text = AvroJson.toJsonString(ContractFixtures.clearingPayment());
        // Compared as text: a re-parsed 1250000 is an int node where the original is a long node.
        assertEquals(AvroJson.toJson(ContractFixtures.clearingPayment()).toString(),
                new ObjectMapper().readTree(text).toString());
        assertTrue(text.contains("\"purpose\":\"出借 投资款\""), text);
    }

    @Test
    void shouldRenderGenericRecordsToo() {
        // Given a generic record as a tool reading unknown topics would have (Utf8 strings, raw longs)
        GenericRecord rate = new GenericData.Record(fundwatch.avro.BenchmarkRate.getClassSchema());
        rate.put("rateId", new org.apache.avro.util.Utf8("LPR_5Y"));
        rate.put("valueBps", 395);
        rate.put("effectiveFrom", 1_708_392_600_000L);

        // When / Then
        assertEquals("{\"rateId\":\"LPR_5Y\",\"valueBps\":395,\"effectiveFrom\":1708392600000}",
                AvroJson.toJsonString(rate));
    }
}
