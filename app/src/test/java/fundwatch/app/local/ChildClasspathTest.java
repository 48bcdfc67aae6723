package fundwatch.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClasspathTest {

    @Test
    void shouldExpandManifestOnlyJarLikeSurefireBooter(@TempDir Path dir) throws IOException {
        // Given a booter jar whose Class-Path names a relative jar, an encoded path with a space, a directory
        // and a jar that does not exist (dropped), and a nested jar that names another jar in turn
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path classes = Files.createDirectories(dir.resolve("my classes"));
        Path leaf = jar(lib.resolve("leaf.jar"), null);
        Path nested = jar(lib.resolve("nested.jar"), "leaf.jar");
        Path booter = jar(Files.createDirectories(dir.resolve("surefire")).resolve("booter.jar"),
                "../lib/nested.jar ../my%20classes/ " + leaf.toUri() + " ../lib/missing.jar");

        // When it is expanded
        List<Path> expanded = ChildClasspath.expand(List.of(booter));

        // Then every real entry appears once, in order of discovery
        assertEquals(List.of(booter, nested, leaf, classes), expanded);
    }

    private static Path jar(Path file, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file.toAbsolutePath().normalize();
    }
}
