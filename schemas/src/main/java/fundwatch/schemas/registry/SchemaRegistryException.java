package fundwatch.schemas.registry;

/**
 * A schema registry call failed. {@link #status()} is the HTTP status, or {@code -1} when no
 * registry could be reached at all; {@link #errorCode()} is the Confluent {@code error_code} from
 * the response body, or {@code -1} when the body carried none.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Status used when no HTTP response was received (connection refused, timeout, TLS, …). */
    public static final int NO_RESPONSE = -1;

    // Confluent error codes (also used by Apicurio's ccompat API and Karapace).
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        this(message, status, errorCode, null);
    }

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** No registry answered: a connection, timeout or TLS failure. */
    public boolean isConnectionError() {
        return status == NO_RESPONSE;
    }

    /** Worth trying again later: the registry is unreachable, failing (5xx) or throttling (429). */
    public boolean isRetriable() {
        return status == NO_RESPONSE || status >= 500 || status == 429;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
