package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExecutorClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void theFirstExecutorBuildsTheArchiveAndTheOthersWaitForIt() throws Exception {
        ExecutorClassDataArchive archive = archive(List.of());

        ExecutorClassDataArchive.Launch first = archive.nextLaunch();
        ExecutorClassDataArchive.Launch second = archive.nextLaunch();

        assertTrue(first.buildsArchive());
        assertEquals(1, first.jvmOptions().size());
        assertTrue(first.jvmOptions().get(0).startsWith("-XX:ArchiveClassesAtExit="), first.toString());
        assertEquals(ExecutorClassDataArchive.Launch.NONE, second, "one builder at a time");
    }

    @Test
    void aCompleteArchiveIsKeptAndUsedByLaterExecutors() throws Exception {
        ExecutorClassDataArchive archive = archive(List.of());
        ExecutorClassDataArchive.Launch builder = archive.nextLaunch();
        Files.write(pendingOf(builder), new byte[] {1, 2, 3});

        archive.builderExited(143);

        assertTrue(Files.isRegularFile(archive.archive()));
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive.archive()), archive.nextLaunch().jvmOptions());
    }

    @Test
    void anArchiveOfAKilledBuilderIsDiscardedAndBuiltAgain() throws Exception {
        ExecutorClassDataArchive archive = archive(List.of());
        ExecutorClassDataArchive.Launch builder = archive.nextLaunch();
        Files.write(pendingOf(builder), new byte[] {1, 2, 3});

        archive.builderExited(137);

        assertFalse(Files.exists(archive.archive()));
        assertFalse(Files.exists(pendingOf(builder)));
        assertTrue(archive.nextLaunch().buildsArchive(), "the next executor tries again");
    }

    @Test
    void operatorsWhoDecideOnClassDataSharingThemselvesAreLeftAlone() {
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=/opt/mine.jsa", "-XX:ArchiveClassesAtExit=x")) {
            assertEquals(ExecutorClassDataArchive.Launch.NONE, archive(List.of(option)).nextLaunch(), option);
        }
    }

    @Test
    void noDirectoryMeansNoArchive() throws Exception {
        String jarClassPath = jarOf(TestingExecutorMain.class).toString();
        ExecutorClassDataArchive archive = new ExecutorClassDataArchive(Optional.empty(),
                ExecutorCommand.currentJava(), jarClassPath, List.of());

        assertEquals(ExecutorClassDataArchive.Launch.NONE, archive.nextLaunch());
    }

    @Test
    void aClassPathWithDirectoriesGetsNoArchive() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not empty");
        ExecutorClassDataArchive archive = new ExecutorClassDataArchive(Optional.of(dir.resolve("cds")),
                ExecutorCommand.currentJava(), dir.resolve("lib.jar") + java.io.File.pathSeparator + classes, List.of());

        assertEquals(ExecutorClassDataArchive.Launch.NONE, archive.nextLaunch());
        assertTrue(ExecutorClassDataArchive.onlyJars("/opt/ember/lib/*" + java.io.File.pathSeparator + "/x/a.jar"));
    }

    @Test
    void aRealExecutorJvmBuildsAnArchiveThatTheNextOneLoadsClassesFrom() throws Exception {
        String jarClassPath = jarOf(TestingExecutorMain.class).toString();
        ExecutorClassDataArchive archive = new ExecutorClassDataArchive(Optional.of(dir.resolve("cds")),
                ExecutorCommand.currentJava(), jarClassPath, List.of());
        try (TestingExecutors executors = new TestingExecutors(dir)) {
            ExecutorClassDataArchive.Launch builder = archive.nextLaunch();
            ExecutorProcess first = executors.launch("app", "0", jarCommand(jarClassPath, builder.jvmOptions(),
                    List.of(executors.file("first").toString(), "exit", "0")));
            int code = first.onExit().join();
            archive.builderExited(code);
            assertTrue(Files.size(archive.archive()) > 0, "the archive was written");

            ExecutorClassDataArchive.Launch user = archive.nextLaunch();
            List<String> options = new java.util.ArrayList<>(user.jvmOptions());
            options.add("-Xlog:class+load=info");
            ExecutorProcess second = executors.launch("app", "1", jarCommand(jarClassPath, options,
                    List.of(executors.file("second").toString(), "exit", "0")));
            assertEquals(0, second.onExit().join());

            Eventually.await(() -> Files.exists(second.stdout()), "the second executor's stdout");
            String log = Files.readString(second.stdout());
            assertTrue(log.contains("source: shared objects file (top)"), "classes came from the archive");
        }
    }

    /** A JAR holding just {@code type} (which needs only the JDK), as in a distribution's lib/. */
    private Path jarOf(Class<?> type) throws Exception {
        Path jar = dir.resolve("executor.jar");
        String entry = type.getName().replace('.', '/') + ".class";
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             java.io.InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private static ExecutorCommand jarCommand(String classPath, List<String> jvmOptions, List<String> arguments) {
        return new ExecutorCommand(ExecutorCommand.currentJava(), classPath, TestingExecutors.HEAP, jvmOptions,
                TestingExecutorMain.class.getName(), arguments, java.util.Map.of());
    }

    private ExecutorClassDataArchive archive(List<String> options) {
        return new ExecutorClassDataArchive(Optional.of(dir.resolve("cds")), ExecutorCommand.currentJava(),
                dir.resolve("lib/ember-core.jar").toString(), options);
    }

    private static Path pendingOf(ExecutorClassDataArchive.Launch launch) {
        return Path.of(launch.jvmOptions().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
    }
}
