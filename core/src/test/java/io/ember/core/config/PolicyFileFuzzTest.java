package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.InvalidSettingException;
import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.scheduler.fair.FairSchedulerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A policy file, fuzzed: {@code conf/scheduler-fair.properties} of the real fair scheduler, with its
 * keys (pools and queues of any names) set to any values, and lines that are no setting. Reading
 * the configuration either names each problem by key and line of that file, or gives settings from
 * which the scheduler builds its queues or refuses them naming the key; never another exception.
 * And a value read without a problem is one the scheduler can order by: a finite, non-negative
 * weight.
 */
final class PolicyFileFuzzTest {

    private static final FairSchedulerFactory FAIR = new FairSchedulerFactory();
    private static final KeyCatalog CATALOG = new KeyCatalog(EmberKeys.all(), Map.of(
            PolicyKind.SCHEDULER, Map.of("fifo", List.of(), "fair", FAIR.configKeys()),
            PolicyKind.ALLOCATION, Map.of("static", List.of()),
            PolicyKind.SHUFFLE, Map.of("sort", List.of())));
    private static final String FILE = "conf/scheduler-fair.properties";

    @Property(tries = 1000)
    void aPolicyFileIsReadWithItsProblemsNamedOrGivesAPolicyThatWorks(@ForAll("files") List<String> lines)
            throws IOException {
        Path root = Files.createTempDirectory("ember-policy-fuzz-");
        try {
            ConfigSources sources = ConfDir.in(root).write("scheduler-fair.properties", lines.toArray(String[]::new))
                    .sources();
            EmberConfig config;
            try {
                config = EmberConfig.resolve(sources, CATALOG);
            } catch (ConfigException e) {
                assertFalse(e.problems().isEmpty());
                for (ConfigProblem problem : e.problems()) {
                    assertTrue(problem.origin().startsWith(FILE + ":"), "names the file and line: " + problem);
                    assertTrue(!problem.key().isEmpty() || problem.message().startsWith("an entry without a key"),
                            "names the key: " + problem);
                }
                return;
            }
            Settings settings = config.policy(PolicyKind.SCHEDULER, "fair");
            for (ConfigKey<?> key : FAIR.configKeys()) {
                if (key.isPattern()) {
                    for (String name : settings.names(key)) {
                        if (settings.find(key, name).orElse(null) instanceof Double weight) {
                            assertTrue(Double.isFinite(weight) && weight >= 0, key.resolve(name) + " = " + weight
                                    + " was read without a problem");
                        }
                    }
                }
            }
            SchedulingPolicy policy;
            try {
                policy = FAIR.create(settings);
            } catch (InvalidSettingException refused) {
                assertTrue(refused.getMessage().contains("ember.scheduler.fair."), refused.getMessage());
                return;
            }
            for (SchedulingLevel level : SchedulingLevel.values()) {
                assertEquals(null, policy.createQueue(level).offer(item -> true), "an empty queue of every level");
            }
        } finally {
            delete(root);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Example
    void weightsThatAreNoFiniteNumbersAreProblemsOfTheirLine() throws IOException {
        Path root = Files.createTempDirectory("ember-policy-fuzz-");
        try {
            ConfigSources sources = ConfDir.in(root).write("scheduler-fair.properties", "pool.a.weight=NaN",
                    "queue.b.weight=Infinity", "pool.c.weight=1e309").sources();
            ConfigException e = assertThrows(ConfigException.class,
                    () -> EmberConfig.resolve(sources, CATALOG));
            assertEquals(List.of(FILE + ":1", FILE + ":2", FILE + ":3"),
                    e.problems().stream().map(ConfigProblem::origin).sorted().toList(), e.problems().toString());
        } finally {
            delete(root);
        }
    }

    @Provide
    Arbitrary<List<String>> files() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("default", "etl", "a", "a.b", "", "..", "é"),
                Arbitraries.strings().alpha().numeric().ofMaxLength(12));
        Arbitrary<String> keys = Combinators.combine(Arbitraries.of("pool", "queue", "pools", ""), names,
                Arbitraries.of("weight", "minShare", "maxShare", "mode", "Weight", "", "weight.x"))
                .as((group, name, key) -> group + "." + name + "." + key);
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("1", "0", "-1", "0.5", "2e3", "NaN", "Infinity",
                "-Infinity", "1e309", "4.9e-324", "fifo", "fair", "FAIR", "lifo", "", " ", "2147483648", "-0",
                "0x10", "1_000"), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> settings = Combinators.combine(keys, Arbitraries.of("=", " = ", ":", " "), values)
                .as((key, separator, value) -> key + separator + value);
        Arbitrary<String> other = Arbitraries.oneOf(Arbitraries.of("# a comment", "", "reload.interval=1s",
                "reload.interval=0", "=", "\\"), Arbitraries.strings().ofMaxLength(40));
        return Arbitraries.frequencyOf(Tuple.of(5, settings), Tuple.of(1, other)).list().ofMaxSize(8);
    }
}
