package fundwatch.app.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Build step of the distribution (app/pom.xml, phase package): for every jar fundwatch bundles, its license as it
 * declares it (its own POM's {@code <licenses>}, else the manifest's {@code Bundle-License}) into
 * THIRD-PARTY.txt, its LICENSE and NOTICE files under licenses/&lt;jar&gt;/, and every distinct NOTICE text
 * into one NOTICE — what the Apache License asks of a redistributor. Jars that declare nothing themselves (Kafka's
 * are built by Gradle) get the license from their POM in the local Maven repository, following its parents;
 * the dependency list (dependency:list with absolute file names) says where that POM is. No network.
 *
 * <p>Usage: {@code ThirdPartyNotices <lib dir> <output dir> [<dependency list>]}
 */
public final class ThirdPartyNotices {
    private static final Pattern LICENSE_NAME = Pattern.compile(
            "<licenses>.*?<license>.*?<name>\\s*(.*?)\\s*</name>", Pattern.DOTALL);

    private ThirdPartyNotices() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ThirdPartyNotices <lib dir> <output dir> [<dependency list>]");
        }
        Path lib = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, Path> pomByJar = args.length > 2 ? pomsByJarName(Path.of(args[2])) : Map.of();
        Files.createDirectories(out.resolve("licenses"));
        List<Path> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        StringBuilder thirdParty = new StringBuilder("""
                Third-party software bundled in lib/ of this fundwatch distribution, with the license each declares.
                The license and notice files each jar carries are under licenses/<jar>/; NOTICE collects the notices.

                """);
        Map<String, List<String>> notices = new LinkedHashMap<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (name.startsWith("fundwatch-")) {
                continue;
            }
            String license;
            try (JarFile j = new JarFile(jar.toFile())) {
                license = declaredLicense(j);
                if (license == null && pomByJar.containsKey(name)) {
                    license = pomLicense(pomByJar.get(name), 0);
                }
                if (license == null) {
                    license = "not declared: see licenses/" + name;
                }
                copyLegalFiles(j, out.resolve("licenses").resolve(name), name, notices);
            } catch (IOException e) {
                license = "unreadable jar (" + e.getMessage() + ")";
            }
            thirdParty.append(String.format("%-60s %s%n", name, license));
        }
        vendoredWebFiles(out, thirdParty);
        Files.writeString(out.resolve("THIRD-PARTY.txt"), thirdParty.toString());
        StringBuilder notice = new StringBuilder("fundwatch\n\nThis distribution bundles the third-party software"
                + " listed in THIRD-PARTY.txt. Their notices follow, each once, with the jars that carry it.\n");
        notices.forEach((text, names) -> notice.append("\n---- ").append(String.join(", ", names)).append(" ----\n")
                .append(text.strip()).append('\n'));
        Files.writeString(out.resolve("NOTICE"), notice.toString());
    }

    /**
     * The analyst page's vendored JavaScript (inside fundwatch-app.jar, under fundwatch/ui/vendor/): what its
     * README.txt says about each file, and the licences beside it under licenses/fundwatch-app.jar/.
     */
    static void vendoredWebFiles(Path out, StringBuilder thirdParty) throws IOException {
        String dir = "fundwatch/ui/vendor/";
        ClassLoader loader = ThirdPartyNotices.class.getClassLoader();
        try (java.io.InputStream readme = loader.getResourceAsStream(dir + "README.txt")) {
            if (readme == null) {
                return;
            }
            thirdParty.append("\nInside lib/fundwatch-app.jar, ").append(dir).append(" (the analyst page, /ui/):\n")
                    .append(new String(readme.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String license : java.util.List.of("cytoscape-LICENSE.txt")) {
            try (java.io.InputStream in = loader.getResourceAsStream(dir + license)) {
                if (in != null) {
                    Path target = out.resolve("licenses").resolve("fundwatch-app.jar").resolve(license);
                    Files.createDirectories(target.getParent());
                    Files.write(target, in.readAllBytes());
                }
            }
        }
    }

    static String declaredLicense(JarFile jar) throws IOException {
        Enumeration<? extends ZipEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.xml")) {
                Matcher m = LICENSE_NAME.matcher(read(jar, e));
                if (m.find()) {
                    return m.group(1).replaceAll("\\s+", " ");
                }
            }
        }
        Manifest mf = jar.getManifest();
        String bundle = mf == null ? null : mf.getMainAttributes().getValue("Bundle-License");
        return bundle;
    }

    /** jar file name to its POM beside it in the local repository, from dependency:list's absolute file names. */
    static Map<String, Path> pomsByJarName(Path list) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        if (!Files.exists(list)) {
            return out;
        }
        for (String line : Files.readAllLines(list)) {
            // "   g:a:jar:v:scope:/abs/path/a-v.jar -- module m (auto)"
            int slash = line.indexOf('/');
            int module = line.indexOf(" -- ");
            String path = slash < 0 ? "" : line.substring(slash, module > slash ? module : line.length()).strip();
            if (!path.endsWith(".jar")) {
                continue;
            }
            Path jar = Path.of(path);
            String file = jar.getFileName().toString();
            out.put(file, jar.resolveSibling(file.substring(0, file.length() - ".jar".length()) + ".pom"));
        }
        return out;
    }

    private static final Pattern PARENT = Pattern.compile(
            "<parent>\\s*(.*?)</parent>", Pattern.DOTALL);

    /** The POM's first declared license, else its parent's (up to a few levels), else null. */
    static String pomLicense(Path pom, int depth) {
        if (depth > 5 || !Files.exists(pom)) {
            return null;
        }
        try {
            String xml = Files.readString(pom);
            Matcher m = LICENSE_NAME.matcher(xml);
            if (m.find()) {
                return m.group(1).replaceAll("\\s+", " ");
            }
            Matcher parent = PARENT.matcher(xml);
            if (!parent.find()) {
                return null;
            }
            String g = tag(parent.group(1), "groupId");
            String a = tag(parent.group(1), "artifactId");
            String v = tag(parent.group(1), "version");
            if (g == null || a == null || v == null) {
                return null;
            }
            // <repo>/<group path>/<artifact>/<version>/<artifact>-<version>.pom, from this POM's own location.
            Path repo = pom;
            for (int i = 0; i < 3 + countDots(pomGroup(xml, g)) + 1; i++) {
                repo = repo.getParent();
            }
            Path parentPom = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v).resolve(a + "-" + v + ".pom");
            return pomLicense(parentPom, depth + 1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The POM's own groupId (inherited from the parent when absent). */
    private static String pomGroup(String xml, String parentGroup) {
        String withoutParent = PARENT.matcher(xml).replaceFirst("");
        String own = tag(withoutParent.replaceAll("(?s)<dependencies>.*", ""), "groupId");
        return own == null ? parentGroup : own;
    }

    private static int countDots(String s) {
        return (int) s.chars().filter(c -> c == '.').count();
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*(.*?)\\s*</" + name + ">", Pattern.DOTALL).matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private static void copyLegalFiles(JarFile jar, Path dir, String jarName, Map<String, List<String>> notices)
            throws IOException {
        Enumeration<? extends ZipEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            String entry = e.getName();
            String base = entry.substring(entry.lastIndexOf('/') + 1).toUpperCase(java.util.Locale.ROOT);
            boolean legal = entry.startsWith("META-INF/") && !e.isDirectory()
                    && (base.startsWith("LICENSE") || base.startsWith("NOTICE") || base.startsWith("COPYING"));
            if (!legal || base.endsWith(".CLASS")) {
                continue;
            }
            String text = read(jar, e);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(entry.substring("META-INF/".length()).replace('/', '_')), text);
            if (base.startsWith("NOTICE")) {
                notices.computeIfAbsent(text.strip(), k -> new ArrayList<>()).add(jarName);
            }
        }
    }

    private static String read(JarFile jar, ZipEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
