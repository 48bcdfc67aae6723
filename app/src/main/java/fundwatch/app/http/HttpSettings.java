package fundwatch.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the HTTP surface listens and whom it answers: bind address and port, bearer tokens (null: no
 * authentication), the paths left open when authentication is on, and TLS (null: plain HTTP).
 *
 * @param openPaths paths answered without a token; only {@link #MAY_BE_OPEN} may be listed, since every other
 *                  endpoint returns parties, accounts or amounts
 * @param peerTls   the client-side TLS context for forwarding a query to another instance; null without TLS
 */
public record HttpSettings(String bindAddress, int port, BearerTokens tokens, Set<String> openPaths,
        SSLContext serverTls, SSLContext peerTls) {
    public static final Set<String> MAY_BE_OPEN = Set.of("/health", "/metrics");

    public HttpSettings {
        if (!MAY_BE_OPEN.containsAll(openPaths)) {
            throw new IllegalArgumentException("http.auth.open.paths may only list " + MAY_BE_OPEN + ", got "
                    + openPaths);
        }
    }

    /** Plain HTTP, no authentication: tests and tools on the loopback interface. */
    public static HttpSettings plain(String bindAddress, int port) {
        return new HttpSettings(bindAddress, port, null, MAY_BE_OPEN, null, null);
    }

    public boolean tls() {
        return serverTls != null;
    }

    /** The client that forwards a query to the instance owning a key: same scheme, trusting the peers. */
    public HttpClient peerClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (peerTls != null) {
            b.sslContext(peerTls);
        }
        return b.build();
    }

    /**
     * The server's TLS context from a PKCS12 (or JKS) key store; the peers' trust from the trust store when one
     * is given, else from the key store itself (instances sharing one certificate), else the JVM's defaults.
     */
    public static SSLContext[] tlsContexts(Path keyStore, char[] keyPassword, String keyType, Path trustStore,
            char[] trustPassword, String trustType) {
        try {
            KeyStore keys = read(keyStore, keyPassword, keyType);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            KeyStore trust = trustStore != null ? read(trustStore, trustPassword, trustType) : keys;
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext peer = SSLContext.getInstance("TLS");
            peer.init(null, tmf.getTrustManagers(), null);
            return new SSLContext[] {server, peer};
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("http.ssl: cannot set up TLS from " + keyStore + ": " + e.getMessage());
        }
    }

    private static KeyStore read(Path file, char[] password, String type) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            // A wrong password surfaces as an IOException from load(): say so without echoing anything secret.
            throw new IllegalArgumentException("http.ssl: cannot read key store " + file + " (" + type + "): "
                    + e.getMessage());
        }
    }
}
