package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ExecutorArgumentsTest {

    private static final List<String> MINIMAL = List.of("--app-id", "app-1", "--executor-id", "3",
            "--worker-id", "worker-a", "--driver", "10.0.0.5:7070", "--cores", "2", "--host", "10.0.0.7",
            "--zookeeper", "zk1:2181,zk2:2181", "--cluster", "prod", "--session-timeout", "4s");

    private static ExecutorArguments parse(List<String> args) {
        return ExecutorArguments.parse(args.toArray(String[]::new));
    }

    private static String refusal(List<String> args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    private static List<String> with(String... more) {
        List<String> args = new ArrayList<>(MINIMAL);
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> replacing(String option, String value) {
        List<String> args = new ArrayList<>(MINIMAL);
        args.set(args.indexOf(option) + 1, value);
        return args;
    }

    @Test
    void readsEveryOption() {
        ExecutorArguments arguments = parse(with("--setting", "ember.task.cpus=1", "--setting", "x.y=a=b"));

        assertEquals(new ExecutorArguments("app-1", "3", "worker-a", "10.0.0.5:7070", 2, "10.0.0.7",
                "zk1:2181,zk2:2181", "prod", Duration.ofSeconds(4), Map.of("ember.task.cpus", "1", "x.y", "a=b")),
                arguments);
    }

    @Test
    void writesWhatItReads() {
        ExecutorArguments arguments = new ExecutorArguments("app-1", "3", "worker-a", "[::1]:7070", 4, "::1",
                "127.0.0.1:2181", "default", Duration.ofMillis(1500), Map.of("b", "2", "a", "1"));

        List<String> args = arguments.toArgs();

        assertEquals(arguments, parse(args));
        assertEquals(List.of("--setting", "a=1", "--setting", "b=2"), args.subList(args.size() - 4, args.size()));
        assertTrue(args.contains("1500ms"), args.toString());
    }

    @Test
    void writesTheSessionTimeoutAsSettingsWriteDurationsAndReadsItBack() {
        Map<Duration, String> texts = Map.of(Duration.ofMillis(1500), "1500ms", Duration.ofSeconds(4), "4s",
                Duration.ofMinutes(2), "2m", Duration.ofHours(1), "1h");
        texts.forEach((timeout, text) -> {
            ExecutorArguments arguments = new ExecutorArguments("app-1", "7", "worker-1", "127.0.0.1:7078", 2,
                    "127.0.0.1", "127.0.0.1:2181", "default", timeout, Map.of());
            List<String> args = arguments.toArgs();
            assertEquals(text, args.get(args.indexOf("--session-timeout") + 1));
            assertEquals(arguments, parse(args));
        });
    }

    @Test
    void refusesAnUnknownArgumentListingTheKnownOnes() {
        String message = refusal(with("--verbose", "true"));

        assertTrue(message.startsWith("unknown argument '--verbose'; expected --app-id --executor-id"), message);
    }

    @Test
    void refusesMissingOptionsNamingThemAll() {
        assertEquals("missing --cores, --cluster", refusal(MINIMAL.stream()
                .filter(a -> !List.of("--cores", "2", "--cluster", "prod").contains(a)).toList()));
    }

    @Test
    void refusesAnOptionWithoutItsValue() {
        assertEquals("--setting needs a value", refusal(with("--setting")));
    }

    @Test
    void refusesARepeatedOptionOrSetting() {
        assertEquals("--cores is given twice", refusal(with("--cores", "3")));
        assertEquals("--setting a is given twice", refusal(with("--setting", "a=1", "--setting", "a=2")));
    }

    @Test
    void refusesValuesThatAreNotValid() {
        assertEquals("--cores must be a whole number: 'two'", refusal(replacing("--cores", "two")));
        assertEquals("cores must be >= 1: 0", refusal(replacing("--cores", "0")));
        assertEquals("driver address must be host:port: 'driver'", refusal(replacing("--driver", "driver")));
        assertEquals("--session-timeout: '1.5s' is not a duration: expected a whole number and a unit ms, s, m, h or d"
                + " (such as 500ms, 5s, 2m, 1h)", refusal(replacing("--session-timeout", "1.5s")));
        assertEquals("session timeout must be > 0: PT0S", refusal(replacing("--session-timeout", "0s")));
        assertEquals("--setting must be key=value: '=1'", refusal(with("--setting", "=1")));
        assertTrue(refusal(replacing("--executor-id", "a/b")).contains("'/'"));
        assertTrue(refusal(replacing("--host", "a b")).startsWith("host must be non-blank"));
    }
}
