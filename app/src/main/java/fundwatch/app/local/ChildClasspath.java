package fundwatch.app.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The parent's classpath as a list of real files, for a child JVM that should see the same classes.
 *
 * <p>{@code java.class.path} is not always the whole story: Surefire/Failsafe (and some launchers) start
 * the JVM with a single "manifest-only" jar whose {@code Class-Path} attribute lists the real entries.
 * Those are expanded here, recursively, so the child works however the parent was started.
 */
final class ChildClasspath {

    private ChildClasspath() {
    }

    /** The current JVM's classpath, manifest {@code Class-Path} entries expanded, duplicates and missing files dropped. */
    static List<Path> ofCurrentJvm() {
        String classPath = System.getProperty("java.class.path", "");
        List<Path> roots = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                roots.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        return expand(roots);
    }

    /** {@code entries} plus, for each jar, whatever its manifest's {@code Class-Path} names (recursively). */
    static List<Path> expand(List<Path> entries) {
        Set<Path> seen = new LinkedHashSet<>();
        for (Path entry : entries) {
            addWithManifestEntries(entry.toAbsolutePath().normalize(), seen);
        }
        return List.copyOf(seen);
    }

    /** The entries joined with the platform path separator, ready for {@code -cp}. */
    static String join(List<Path> entries) {
        List<String> parts = new ArrayList<>(entries.size());
        for (Path p : entries) {
            parts.add(p.toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static void addWithManifestEntries(Path entry, Set<Path> seen) {
        if (!Files.exists(entry) || !seen.add(entry)) {
            return;
        }
        if (!Files.isRegularFile(entry) || !entry.getFileName().toString().endsWith(".jar")) {
            return;
        }
        String manifestClassPath;
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            manifestClassPath = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest of classpath entry " + entry, e);
        }
        if (manifestClassPath == null || manifestClassPath.isBlank()) {
            return;
        }
        // Class-Path entries are space-separated URLs, relative to the jar's own location (JAR File Specification).
        URI base = entry.toUri();
        for (String ref : manifestClassPath.trim().split("\\s+")) {
            Path resolved = resolve(base, ref);
            if (resolved != null) {
                addWithManifestEntries(resolved, seen);
            }
        }
    }

    private static Path resolve(URI base, String ref) {
        try {
            URI uri = base.resolve(new URI(ref));
            return "file".equalsIgnoreCase(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize() : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            // Some writers put plain, unencoded paths in Class-Path; accept those too.
            Path plain = Path.of(ref);
            return plain.isAbsolute() ? plain.normalize() : Path.of(base).resolveSibling(ref).normalize();
        }
    }
}
