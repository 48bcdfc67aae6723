package fundwatch.app.http;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1, made when a test runs: no private key is kept in the repository. */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /** A PKCS12 key store at {@code file} holding an EC key and a 2-day certificate for 127.0.0.1 / localhost. */
    public static Path selfSigned(Path file) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fundwatch", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=fundwatch-test", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return file;
    }
}
