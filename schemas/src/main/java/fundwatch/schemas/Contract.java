package fundwatch.schemas;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.Evidence;
import fundwatch.avro.FundFlowAlert;
import fundwatch.avro.Platform;
import fundwatch.avro.Product;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The record types of CONTRACT.md, in its order, with their (self-contained) schemas. */
public final class Contract {

    /** Every contract record class. Evidence is only nested in FundFlowAlert, never a topic value. */
    public static final List<Class<? extends SpecificRecord>> RECORDS = List.of(
            CustodyTransaction.class,
            ClearingPayment.class,
            Platform.class,
            AccountRegistration.class,
            Product.class,
            BenchmarkRate.class,
            DetectorRule.class,
            FundFlowAlert.class,
            Evidence.class);

    private Contract() {
    }

    /** The generated {@code SCHEMA$} of a contract class. */
    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** Simple record name (e.g. {@code CustodyTransaction}) → schema, in {@link #RECORDS} order. */
    public static Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Class<? extends SpecificRecord> type : RECORDS) {
            schemas.put(type.getSimpleName(), schemaOf(type));
        }
        return schemas;
    }
}
