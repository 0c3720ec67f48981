package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing (CDS) archive of the classes an executor loads, built by the first executor
 * a worker starts and used by every later one. An executor loads about 5,700 classes before it
 * registers, and the JDK's own archive holds only about 1,100 of them; with this archive executor
 * start-up roughly halves (measured with {@code benchmarks/run executor-start}).
 *
 * <p>The archive must be built where it is used (the JVM checks the class path and the JDK), so
 * the worker builds it: the first executor runs with {@code -XX:ArchiveClassesAtExit} into a
 * pending file, which the worker moves into place when that executor has exited normally (the JVM
 * writes it at exit, SIGTERM included). The archive's name is a hash of the JDK and the class path,
 * so an upgrade builds a new one. An executor whose options already decide on class-data sharing
 * ({@code -Xshare:off}, its own archive), or whose class path holds directories rather than JARs
 * (a development build), gets none. A bad or stale archive costs nothing but
 * the speed-up: the JVM ignores what it cannot use ({@code -Xshare:auto}).
 *
 * <p>Thread-safe.
 */
final class ExecutorClassDataArchive {

    private static final Logger log = LoggerFactory.getLogger(ExecutorClassDataArchive.class);
    /** Exit codes after which the JVM has written its archive: a normal exit and SIGTERM. */
    private static final List<Integer> CLEAN_EXITS = List.of(0, 143);

    private final Path archive;
    private final Path pending;
    private final boolean enabled;
    private final AtomicBoolean building = new AtomicBoolean();

    /** What a launch adds to the executor's JVM options, and whether it builds the archive. */
    record Launch(List<String> jvmOptions, boolean buildsArchive) {
        static final Launch NONE = new Launch(List.of(), false);
    }

    /**
     * @param directory where the archive lives (created when needed); empty for no archive
     * @param javaExecutable the executors' java
     * @param classPath the executors' class path
     * @param executorJavaOptions the operator's options; some of them turn this off
     */
    ExecutorClassDataArchive(Optional<Path> directory, Path javaExecutable, String classPath,
                             List<String> executorJavaOptions) {
        requireNonNull(directory, "directory is null");
        String name = "executor-" + fingerprint(javaExecutable, classPath) + ".jsa";
        Path dir = directory.orElse(Path.of("."));
        this.archive = dir.resolve(name);
        this.pending = dir.resolve(name + ".pending");
        this.enabled = directory.isPresent() && onlyJars(classPath) && executorJavaOptions.stream().noneMatch(option -> option.startsWith("-Xshare:off")
                || option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    /** The options of the next executor: use the archive, build it, or (while it is being built) neither. */
    Launch nextLaunch() {
        if (!enabled) {
            return Launch.NONE;
        }
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), false);
        }
        if (!building.compareAndSet(false, true)) {
            return Launch.NONE;
        }
        try {
            Files.createDirectories(pending.getParent());
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            log.warn("Executors will start without a class-data-sharing archive: cannot prepare {}: {}", pending,
                    e.getMessage());
            return Launch.NONE;
        }
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + pending), true);
    }

    /** The executor that built the archive exited with {@code exitCode}: keep its archive if complete. */
    void builderExited(int exitCode) {
        try {
            if (CLEAN_EXITS.contains(exitCode) && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("Executors start from a class-data-sharing archive from now on ({} MB, {})",
                        Files.size(archive) >> 20, archive);
            } else {
                Files.deleteIfExists(pending);
            }
        } catch (IOException e) {
            log.warn("Could not keep the executors' class-data-sharing archive {}: {}", archive, e.getMessage());
        } finally {
            building.set(false);
        }
    }

    /**
     * Whether every class path entry is a JAR (or a {@code dir/*} wildcard of JARs), as in the
     * distribution. A JVM asked to dump an archive with a directory on its class path (a build's
     * {@code target/classes}) fails at exit, so executors started from a build get no archive.
     */
    static boolean onlyJars(String classPath) {
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty() || entry.endsWith("*")) {
                continue;
            }
            if (Files.isDirectory(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    /** Where the archive is (or will be). */
    Path archive() {
        return archive;
    }

    private static String fingerprint(Path javaExecutable, String classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(javaExecutable.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            Path release = javaExecutable.toAbsolutePath().getParent().getParent().resolve("release");
            if (Files.isRegularFile(release)) {
                digest.update(Files.readAllBytes(release));
            }
            digest.update((byte) 0);
            digest.update(classPath.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            return Integer.toHexString(classPath.hashCode());
        }
    }
}
