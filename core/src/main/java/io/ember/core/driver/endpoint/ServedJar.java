package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * An application JAR the driver serves to its executors ({@code ember.jars}).
 *
 * @param name its file name, unique among the application's JARs
 * @param path where the driver reads it
 * @param size its length in bytes
 * @param sha256 its SHA-256, hex; executors check what they fetched against it
 */
public record ServedJar(String name, Path path, long size, String sha256) {

    public ServedJar {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(sha256, "sha256 is null");
    }

    /**
     * Reads {@code ember.jars}: comma-separated paths of existing, readable files, distinct file
     * names.
     *
     * @throws IllegalArgumentException naming the key and the path that is missing, unreadable or
     *     repeated
     */
    public static List<ServedJar> parse(String jars) {
        requireNonNull(jars, "jars is null");
        List<ServedJar> served = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : jars.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path path = Path.of(trimmed).toAbsolutePath().normalize();
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException("ember.jars names " + trimmed + ", which is not a readable file");
            }
            String name = path.getFileName().toString();
            if (!names.add(name)) {
                throw new IllegalArgumentException("ember.jars names two files called " + name
                        + "; executors keep JARs by file name, so rename one");
            }
            served.add(of(path));
        }
        return List.copyOf(served);
    }

    /** Describes one file, reading it to compute its digest. */
    static ServedJar of(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                size += read;
            }
            return new ServedJar(path.getFileName().toString(), path, size, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application JAR " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
