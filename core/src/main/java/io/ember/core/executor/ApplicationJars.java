package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The application's JARs on an executor: fetched from the driver into {@code <work dir>/jars/},
 * checked against the size and SHA-256 the driver announced, and loaded by one
 * {@link URLClassLoader} whose parent is the executor's own loader.
 *
 * <p>Each JAR is written to a {@code .part} file while its digest is computed, and renamed only once
 * it checks out; a JAR that does not is deleted and refused with an {@link IOException} naming it.
 *
 * <p>Not thread-safe: used once, by the thread that handles the driver's {@code Registered}.
 */
final class ApplicationJars {

    /** Where the JARs' bytes come from: the driver's {@code FetchJar}, or a fake in tests. */
    @FunctionalInterface
    interface JarSource {

        /**
         * Writes the named JAR's bytes to {@code out} (not closing it).
         *
         * @throws IOException when they cannot be had, with a message saying why
         */
        void fetch(String name, OutputStream out) throws IOException;
    }

    private final Path directory;
    private final JarSource source;

    /**
     * @param directory where the JARs go (created when there are any)
     * @param source fetches each JAR
     */
    ApplicationJars(Path directory, JarSource source) {
        this.directory = requireNonNull(directory, "directory is null");
        this.source = requireNonNull(source, "source is null");
    }

    /**
     * Fetches and checks every JAR, then returns a loader over them whose parent is {@code parent};
     * with no JARs, returns {@code parent} itself.
     *
     * @throws IOException naming the JAR that could not be fetched, written, or did not match
     */
    ClassLoader load(List<AnnouncedJar> jars, ClassLoader parent) throws IOException {
        requireNonNull(jars, "jars is null");
        requireNonNull(parent, "parent is null");
        if (jars.isEmpty()) {
            return parent;
        }
        Files.createDirectories(directory);
        Set<String> names = new HashSet<>();
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            AnnouncedJar jar = jars.get(i);
            checkName(jar.name());
            if (!names.add(jar.name())) {
                throw new IOException("application JAR " + jar.name() + " is listed twice");
            }
            urls[i] = toUrl(fetch(jar));
        }
        return new URLClassLoader("ember-application", urls, parent);
    }

    /** Fetches one JAR into its file, checked; returns the file. */
    Path fetch(AnnouncedJar jar) throws IOException {
        Path target = directory.resolve(jar.name());
        Path partial = directory.resolve(jar.name() + ".part");
        MessageDigest digest = sha256();
        long size;
        try (CountingDigestStream out = new CountingDigestStream(Files.newOutputStream(partial), digest)) {
            source.fetch(jar.name(), out);
            size = out.count;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (size != jar.size()) {
            Files.deleteIfExists(partial);
            throw new IOException("application JAR " + jar.name() + " has " + size + " bytes, the driver announced "
                    + jar.size());
        }
        if (!sha256.equalsIgnoreCase(jar.sha256())) {
            Files.deleteIfExists(partial);
            throw new IOException("application JAR " + jar.name() + " has SHA-256 " + sha256
                    + ", the driver announced " + jar.sha256());
        }
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A JAR's name is a plain file name: no directories, nothing that leaves the JAR directory. */
    private static void checkName(String name) throws IOException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 || name.indexOf(':') >= 0) {
            throw new IOException("application JAR name '" + name + "' is not a plain file name");
        }
    }

    private static URL toUrl(Path file) throws IOException {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IOException("application JAR " + file + " has no URL: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApplicationJars[" + directory + "]";
    }

    /** Writes through while counting the bytes and feeding them to a digest. */
    private static final class CountingDigestStream extends FilterOutputStream {

        private final MessageDigest digest;
        long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            digest.update(bytes, offset, length);
            count += length;
        }
    }
}
