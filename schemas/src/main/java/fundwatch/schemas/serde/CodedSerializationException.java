package fundwatch.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A serde failure whose message starts with a stable code from {@link DecodeErrors}
 * ({@code "truncated: …"}), so it can be used as a dead-letter reason and the code as a metric label.
 */
public class CodedSerializationException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public CodedSerializationException(String code, String detail, Throwable cause) {
        super(code + ": " + detail, cause);
        this.code = code;
    }

    public CodedSerializationException(String code, String detail) {
        this(code, detail, null);
    }

    /** One of the {@link DecodeErrors} codes. */
    public String code() {
        return code;
    }

    /** True for {@link DecodeErrors#REGISTRY_UNAVAILABLE}: the record itself may be fine. */
    public boolean isRegistryOutage() {
        return DecodeErrors.REGISTRY_UNAVAILABLE.equals(code);
    }
}
