package fundwatch.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens HTTP accepts, kept as SHA-256 hashes only: a stolen tokens file does not give access. One
 * token a line, {@code <sha256-hex> [label]}; blank lines and {@code #} comments are ignored. The label (e.g. the
 * case system's name) is what the access log shows, never the token. The file is re-read when it changes, so
 * tokens are rotated without a restart; a broken edit keeps the last good set and is logged.
 */
public final class BearerTokens {
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);

    private final Path file;
    private volatile List<Entry> entries;
    private volatile FileTime loadedAt;

    private record Entry(byte[] hash, String label) {
    }

    private BearerTokens(Path file, List<Entry> entries, FileTime loadedAt) {
        this.file = file;
        this.entries = entries;
        this.loadedAt = loadedAt;
    }

    /** Reads the file; an unreadable or malformed file fails the start, naming the line (never its content). */
    public static BearerTokens load(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return new BearerTokens(file, parse(file), modified);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read http.auth.tokens.file " + file + ": " + e.getMessage());
        }
    }

    static List<Entry> parse(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String hex = parts[0].toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("http.auth.tokens.file " + file + " line " + (i + 1)
                        + ": expected the SHA-256 of a token as 64 hex digits (printf %s TOKEN | sha256sum)");
            }
            out.add(new Entry(HexFormat.of().parseHex(hex), parts.length > 1 ? parts[1] : "token-" + (i + 1)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("http.auth.tokens.file " + file + " holds no token hash");
        }
        return List.copyOf(out);
    }

    /**
     * The label of the token, or null when it is not accepted. Every stored hash is compared, each in constant
     * time, so the answer's timing says nothing about which hash or how many bytes matched.
     */
    public String check(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        reloadIfChanged();
        byte[] hash = sha256(presented);
        String match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash) && match == null) {
                match = e.label();
            }
        }
        return match;
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loadedAt)) {
                synchronized (this) {
                    if (!modified.equals(loadedAt)) {
                        loadedAt = modified;
                        entries = parse(file);
                        LOG.info("http.auth.tokens.file {} reloaded: {} token(s)", file, entries.size());
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("http.auth.tokens.file {} could not be reloaded; the previous {} token(s) stay in force: {}",
                    file, entries.size(), e.getMessage());
        }
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }
}
