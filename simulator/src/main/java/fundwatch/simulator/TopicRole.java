package fundwatch.simulator;

import fundwatch.avro.AccountRegistration;
import fundwatch.avro.BenchmarkRate;
import fundwatch.avro.ClearingPayment;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.DetectorRule;
import fundwatch.avro.Platform;
import fundwatch.avro.Product;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The input topics of the contract, by role. The simulator speaks in roles; the {@link Publisher}
 * maps each role to a configurable topic name, defaulting to the names in CONTRACT.md.
 */
public enum TopicRole {
    CUSTODY("custody.transactions", CustodyTransaction.class),
    CLEARING("clearing.payments", ClearingPayment.class),
    PLATFORMS("registry.platforms", Platform.class),
    ACCOUNTS("registry.accounts", AccountRegistration.class),
    PRODUCTS("registry.products", Product.class),
    RATES("reference.rates", BenchmarkRate.class),
    RULES("fundwatch.rules", DetectorRule.class);

    private final String defaultTopic;
    private final Class<? extends SpecificRecord> valueType;

    TopicRole(String defaultTopic, Class<? extends SpecificRecord> valueType) {
        this.defaultTopic = defaultTopic;
        this.valueType = valueType;
    }

    /** The Avro record type of this topic's values. */
    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** The topic name CONTRACT.md gives this role. */
    public String defaultTopic() {
        return defaultTopic;
    }

    /** Every role mapped to its CONTRACT.md topic name; immutable, in enum order. */
    public static Map<TopicRole, String> defaultTopics() {
        Map<TopicRole, String> topics = new EnumMap<>(TopicRole.class);
        for (TopicRole role : values()) {
            topics.put(role, role.defaultTopic);
        }
        return Collections.unmodifiableMap(topics);
    }
}
