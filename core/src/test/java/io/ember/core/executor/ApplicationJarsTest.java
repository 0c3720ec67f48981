package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ApplicationJarsTest {

    private static final ClassLoader PARENT = ApplicationJarsTest.class.getClassLoader();

    @TempDir
    Path dir;

    /** A JAR holding one resource, {@code name}, with {@code text}. */
    static byte[] jarWith(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new JarEntry(name));
            jar.write(text.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A source serving these JARs in 1000-byte pieces. */
    private static ApplicationJars.JarSource serving(Map<String, byte[]> jars) {
        return (name, out) -> {
            byte[] bytes = jars.get(name);
            if (bytes == null) {
                throw new IOException("the driver has no JAR " + name);
            }
            for (int offset = 0; offset < bytes.length; offset += 1000) {
                out.write(bytes, offset, Math.min(1000, bytes.length - offset));
            }
        };
    }

    private ApplicationJars jars(Map<String, byte[]> served) {
        return new ApplicationJars(dir.resolve("jars"), serving(served));
    }

    @Test
    void fetchesChecksAndLoadsTheJars() throws Exception {
        byte[] first = jarWith("first.txt", "one");
        byte[] second = jarWith("second.txt", "two".repeat(1000));
        List<AnnouncedJar> announced = List.of(
                new AnnouncedJar("first.jar", first.length, sha256(first)),
                new AnnouncedJar("second.jar", second.length, sha256(second).toUpperCase()));

        ClassLoader loader = jars(Map.of("first.jar", first, "second.jar", second)).load(announced, PARENT);

        assertInstanceOf(URLClassLoader.class, loader);
        assertSame(PARENT, loader.getParent());
        try (InputStream in = loader.getResourceAsStream("second.txt")) {
            assertNotNull(in);
            assertEquals("two".repeat(1000), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertNotNull(loader.getResource("first.txt"));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("jars/first.jar")));
        assertFalse(Files.exists(dir.resolve("jars/first.jar.part")));
        ((URLClassLoader) loader).close();
    }

    @Test
    void withoutJarsUsesTheExecutorsOwnLoaderAndWritesNothing() throws Exception {
        assertSame(PARENT, jars(Map.of()).load(List.of(), PARENT));
        assertFalse(Files.exists(dir.resolve("jars")));
    }

    @Test
    void refusesAJarWhoseDigestDoesNotMatchAndDeletesIt() throws Exception {
        byte[] jar = jarWith("a.txt", "a");
        byte[] tampered = jar.clone();
        tampered[tampered.length / 2] ^= 1;
        AnnouncedJar announced = new AnnouncedJar("app.jar", jar.length, sha256(jar));

        IOException refused = assertThrows(IOException.class,
                () -> jars(Map.of("app.jar", tampered)).load(List.of(announced), PARENT));

        assertEquals("application JAR app.jar has SHA-256 " + sha256(tampered) + ", the driver announced " + sha256(jar),
                refused.getMessage());
        assertFalse(Files.exists(dir.resolve("jars/app.jar")));
        assertFalse(Files.exists(dir.resolve("jars/app.jar.part")));
    }

    @Test
    void refusesAJarWhoseSizeDoesNotMatch() throws Exception {
        byte[] jar = jarWith("a.txt", "a");
        AnnouncedJar announced = new AnnouncedJar("app.jar", jar.length + 1, sha256(jar));

        IOException refused = assertThrows(IOException.class,
                () -> jars(Map.of("app.jar", jar)).load(List.of(announced), PARENT));

        assertEquals("application JAR app.jar has " + jar.length + " bytes, the driver announced " + (jar.length + 1),
                refused.getMessage());
    }

    @Test
    void refusesANameThatIsNotAPlainFileName() {
        for (String name : List.of("../evil.jar", "lib/app.jar", "..", "", "c:app.jar")) {
            AnnouncedJar announced = new AnnouncedJar(name, 1, "00");

            IOException refused = assertThrows(IOException.class,
                    () -> jars(Map.of()).load(List.of(announced), PARENT));

            assertEquals("application JAR name '" + name + "' is not a plain file name", refused.getMessage());
        }
    }

    @Test
    void saysWhichJarCouldNotBeFetched() {
        AnnouncedJar announced = new AnnouncedJar("missing.jar", 1, "00");

        IOException refused = assertThrows(IOException.class,
                () -> jars(Map.of()).load(List.of(announced), PARENT));

        assertTrue(refused.getMessage().contains("missing.jar"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("jars/missing.jar.part")));
    }
}
