package fundwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void shouldListTheNineContractRecordsInContractOrder() {
        assertEquals(List.of("CustodyTransaction", "ClearingPayment", "Platform", "AccountRegistration", "Product",
                "BenchmarkRate", "DetectorRule", "FundFlowAlert", "Evidence"), List.copyOf(Contract.schemas().keySet()));
    }

    @Test
    void shouldExposeSelfContainedSchemasThatParseOnTheirOwn() {
        // Registries store schemas without references, so each must parse with a fresh parser.
        for (Schema schema : Contract.schemas().values()) {
            assertEquals(schema, new Schema.Parser().parse(schema.toString()));
            assertEquals("fundwatch.avro", schema.getNamespace());
        }
    }

    @Test
    void shouldPinEnumSymbolOrderBecauseItIsOnTheWire() {
        // The binary encoding of an enum is the symbol's index: reordering changes bytes.
        Schema tx = Contract.schemas().get("CustodyTransaction");
        assertEquals(List.of("DEPOSIT", "WITHDRAWAL", "INVEST", "LOAN_DISBURSEMENT", "REPAY_PRINCIPAL",
                "REPAY_INTEREST", "PLATFORM_FEE", "SUBSIDY", "TRANSFER"), tx.getField("type").schema().getEnumSymbols());
        assertEquals(List.of("LENDER", "BORROWER", "PLATFORM_OWN", "RISK_RESERVE", "GUARANTOR", "EXTERNAL"),
                tx.getField("debitRole").schema().getEnumSymbols());
        Schema alert = Contract.schemas().get("FundFlowAlert");
        assertEquals(List.of("LOW", "MEDIUM", "HIGH", "CRITICAL"), alert.getField("severity").schema().getEnumSymbols());
        assertEquals(List.of("PLATFORM", "ACCOUNT", "PARTY", "PRODUCT"),
                alert.getField("subjectType").schema().getEnumSymbols());
    }
}
