package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExecutorRegistryTest {

    @TempDir
    Path temp;

    @Test
    void aReRegistrationReplacesTheDirectoriesAndSurvivesARestart() throws Exception {
        Path a = dir("a");
        Path b = dir("b");
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.register("app", "exec-1", List.of(a.toString()));
        registry.register("app", "exec-1", List.of(b.toString(), a.toString()));

        ExecutorRegistry restarted = ExecutorRegistry.persistent(temp.resolve("state"));

        assertEquals(List.of(b, a), restarted.dirsOf("app", "exec-1"));
        assertEquals(1, restarted.size());
        assertTrue(Files.list(temp.resolve("state")).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void removingAnApplicationReturnsItsExecutorsDirectories() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.register("app", "exec-1", List.of(dir("a").toString()));
        registry.register("app", "exec-2", List.of(dir("b").toString()));
        registry.register("other", "exec-1", List.of(dir("c").toString()));

        assertEquals(List.of(List.of(dir("a")), List.of(dir("b"))), registry.remove("app"));
        assertEquals(List.of(), registry.remove("app"));
        assertEquals(1, ExecutorRegistry.persistent(temp.resolve("state")).size());
    }

    @Test
    void refusesToStartOnADamagedStateFile() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.persistent(temp.resolve("state"));
        registry.register("app", "exec-1", List.of(dir("a").toString()));
        TestingMapOutput.corruptByte(temp.resolve("state/registered-executors"), 12);

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ExecutorRegistry.persistent(temp.resolve("state")));
        assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
    }

    @Test
    void refusesNamesWithControlCharactersOrOfExcessiveLength() throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.inMemory();
        String dir = dir("a").toString();
        assertThrows(RefusedRequestException.class, () -> registry.register("app\n", "exec-1", List.of(dir)));
        assertThrows(RefusedRequestException.class, () -> registry.register("", "exec-1", List.of(dir)));
        assertThrows(RefusedRequestException.class, () -> registry.register("app", "e".repeat(257), List.of(dir)));
        assertThrows(RefusedRequestException.class, () -> registry.register("app", "exec-1", List.of()));
        assertEquals(0, registry.size());
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name)).toRealPath();
    }
}
