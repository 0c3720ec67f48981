package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ExecutorCommandTest {

    private static final Path JAVA = Path.of("/opt/jdk/bin/java");

    @Test
    void putsHeapAndDefaultsBeforeTheOptionsAndTheClassPathBeforeTheMainClassAndArguments() {
        ExecutorCommand command = new ExecutorCommand(JAVA, "a.jar:b.jar", 1L << 30,
                List.of("-XX:+UseParallelGC", "-Dx=a b"), "io.ember.core.executor.ExecutorMain",
                List.of("--app", "app-1"), Map.of("EMBER_AUTH_SECRET", "s3cret"));

        assertEquals(List.of("/opt/jdk/bin/java", "-Xmx1g", "-Xshare:auto", "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.awt.headless=true", "-XX:+UseParallelGC", "-Dx=a b", "-cp", "a.jar:b.jar",
                        "io.ember.core.executor.ExecutorMain", "--app", "app-1"),
                command.toArgv());
    }

    @Test
    void writesTheHeapInTheLargestExactUnit() {
        assertEquals("-Xmx1g", heapOption(1L << 30));
        assertEquals("-Xmx4g", heapOption(4L << 30));
        assertEquals("-Xmx1536m", heapOption(1536L << 20));
        assertEquals("-Xmx32m", heapOption(32L << 20));
        assertEquals("-Xmx33554433", heapOption((32L << 20) + 1));
        assertEquals("-Xmx1025k", heapOption(1025L << 10));
    }

    private static String heapOption(long heapBytes) {
        return new ExecutorCommand(JAVA, "cp", heapBytes, List.of(), "Main", List.of(), Map.of()).toArgv().get(1);
    }

    @Test
    void refusesAJvmOptionThatIsNotAnOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExecutorCommand(
                JAVA, "cp", 1L << 30, List.of("-cp", "x.jar"), "Main", List.of(), Map.of()));
        assertTrue(e.getMessage().contains("'x.jar'"), e.getMessage());
    }

    @Test
    void refusesANonPositiveHeapABlankClassPathOrMainClassAndBadEnvironmentNames() {
        assertThrows(IllegalArgumentException.class,
                () -> new ExecutorCommand(JAVA, "cp", 0, List.of(), "Main", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ExecutorCommand(JAVA, " ", 1L << 30, List.of(), "Main", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ExecutorCommand(JAVA, "cp", 1L << 30, List.of(), "", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ExecutorCommand(JAVA, "cp", 1L << 30, List.of(), "Main", List.of(), Map.of("A=B", "c")));
    }

    @Test
    void neverShowsEnvironmentValues() {
        ExecutorCommand command = new ExecutorCommand(JAVA, "cp", 1L << 30, List.of(), "Main", List.of(),
                Map.of("EMBER_AUTH_SECRET", "s3cret-value"));

        assertTrue(command.toString().contains("EMBER_AUTH_SECRET"), command.toString());
        assertFalse(command.toString().contains("s3cret-value"), command.toString());
    }

    @Test
    void defaultsToThisJvmsJavaAndClassPath() {
        assertTrue(Files.isExecutable(ExecutorCommand.currentJava()), ExecutorCommand.currentJava().toString());
        assertEquals(System.getProperty("java.class.path"), ExecutorCommand.currentClassPath());
    }
}
