package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

final class ExecutorRegistryTest {

    @TempDir
    Path temp;

    @Test
    void createsTheDirectoriesBelowItsRootAndRemembersThemAfterARestart() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        Path root = temp.resolve("state").resolve("data").toAbsolutePath();

        List<Path> dirs = registry.create("app", "exec-1", 2);

        assertEquals(List.of(root.resolve("app/exec-1/0"), root.resolve("app/exec-1/1")), dirs);
        dirs.forEach(dir -> assertTrue(Files.isDirectory(dir), dir.toString()));
        ExecutorRegistry restarted = ExecutorRegistry.persistent(temp.resolve("state"));
        assertEquals(dirs, restarted.dirsOf("app", "exec-1"));
        assertEquals(1, restarted.size());
        assertTrue(Files.list(temp.resolve("state")).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void removingAnApplicationForgetsItsExecutors() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.create("app", "exec-1", 1);
        registry.create("app", "exec-2", 1);
        registry.create("other", "exec-1", 1);

        assertEquals(Set.of("app", "other"), registry.applications());
        assertEquals(2, registry.remove("app"));
        assertEquals(0, registry.remove("app"));
        assertEquals(1, ExecutorRegistry.persistent(temp.resolve("state")).size());
    }

    @Test
    void refusesToStartOnADamagedStateFile() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.create("app", "exec-1", 1);
        TestingMapOutput.corruptByte(temp.resolve("state/registered-executors"), 12);

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ExecutorRegistry.persistent(temp.resolve("state")));
        assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
    }

    @Test
    void refusesIdsThatAreNotPlainNames() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        for (String bad : List.of("", ".", "..", "../etc", "a/b", "/etc", "app\n", "app\u0000", "e".repeat(256),
                "sp ace")) {
            assertThrows(RefusedRequestException.class, () -> registry.create(bad, "exec-1", 1), bad);
            assertThrows(RefusedRequestException.class, () -> registry.create("app", bad, 1), bad);
        }
        assertThrows(RefusedRequestException.class, () -> registry.create("app", "exec-1", 0));
        assertThrows(RefusedRequestException.class, () -> registry.create("app", "exec-1", MessageCodec.MAX_DIRS + 1));
        assertEquals(0, registry.size());
        assertEquals(Set.of(), ServiceDirectories.of(temp.resolve("state")).applications());
    }

    @Test
    void neverCreatesThroughASymbolicLink() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.create("app-1", "exec-1", 1);
        Path root = temp.resolve("state/data");
        Files.createSymbolicLink(root.resolve("app-2"), outside);
        Files.createSymbolicLink(root.resolve("app-1").resolve("exec-2"), outside);

        RefusedRequestException app = assertThrows(RefusedRequestException.class,
                () -> registry.create("app-2", "exec-1", 1));
        RefusedRequestException executor = assertThrows(RefusedRequestException.class,
                () -> registry.create("app-1", "exec-2", 1));

        assertTrue(app.getMessage().contains("symbolic link"), app.getMessage());
        assertTrue(executor.getMessage().contains("symbolic link"), executor.getMessage());
        try (var entries = Files.list(outside)) {
            assertEquals(0, entries.count(), "nothing was created through the links");
        }
    }

    @Test
    void forgetsAStateFileOfTheOlderVersionWithOneWarningAndDeletesNothing() throws Exception {
        Path precious = Files.createDirectories(temp.resolve("precious"));
        Files.writeString(precious.resolve("shuffle-0"), "not the service's");
        Path state = Files.createDirectories(temp.resolve("state"));
        Files.write(state.resolve("registered-executors"), versionOneState("app", "exec-1", precious.toString()));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ExecutorRegistry.class);
        log.start();
        logger.addAppender(log);
        ExecutorRegistry registry;
        try {
            registry = ExecutorRegistry.persistent(state);
        } finally {
            logger.detachAppender(log);
        }

        assertEquals(0, registry.size());
        assertThrows(RefusedRequestException.class, () -> registry.dirsOf("app", "exec-1"));
        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).getFormattedMessage().contains("Forgot the 1 executor registration(s)"),
                warnings.get(0).getFormattedMessage());
        assertTrue(Files.exists(precious.resolve("shuffle-0")));
        assertEquals(0, ExecutorRegistry.persistent(state).size(), "the state was rewritten in the current version");
    }

    /** A state file as version 1 wrote it: one executor with a directory it named. */
    static byte[] versionOneState(String appId, String executorId, String dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x454d4252);
            out.writeInt(1);
            out.writeInt(1);
            out.writeUTF(appId);
            out.writeUTF(executorId);
            out.writeInt(1);
            out.writeUTF(dir);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        return ByteBuffer.allocate(bytes.size() + 8).put(bytes.toByteArray()).putLong(crc.getValue()).array();
    }

    @Test
    void anExecutorsOwnRegistryCreatesNothing() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.inMemory();
        Path own = Files.createDirectories(temp.resolve("own"));
        registry.registerOwn("app", "exec-1", List.of(own));

        assertEquals(List.of(own), registry.dirsOf("app", "exec-1"));
        assertThrows(IllegalStateException.class, () -> registry.create("app", "exec-2", 1));
        assertFalse(registry.directories().isPresent());
        assertThrows(RefusedRequestException.class, () -> registry.registerOwn("app\n", "exec-1", List.of(own)));
        assertThrows(RefusedRequestException.class, () -> registry.registerOwn("app", "exec-1", List.of()));
    }
}
