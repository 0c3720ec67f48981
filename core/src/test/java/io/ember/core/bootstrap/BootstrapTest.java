package io.ember.core.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.InvalidSettingException;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.core.config.ConfigException;
import io.ember.core.plugin.SelectedPolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads configuration and the bundled plugins (on the test class path, as built-ins) and builds the
 * injector, as every Ember process does at start-up.
 */
final class BootstrapTest {

    @TempDir
    Path home;

    @Test
    void selectsFifoStaticAndSortByDefault() {
        try (EmberEnvironment environment = new Bootstrap(launch(null, Map.of())).load()) {
            SelectedPolicies selected = environment.selected();
            assertEquals("fifo", selected.scheduler().name());
            assertEquals("static", selected.allocation().name());
            assertEquals("sort", selected.shuffle().name());
        }
    }

    @Test
    void bindsEveryFactoryByNameAndCreatesTheSelectedPolicyFromItsFile() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("ember.properties"), "ember.scheduler=fair\n");
        Files.writeString(conf.resolve("scheduler-fair.properties"), "pool.reports.weight=3\npool.reports.mode=fair\n");

        try (EmberEnvironment environment = new Bootstrap(launch(conf, Map.of())).load()) {
            Injector injector = environment.createInjector();

            Map<String, SchedulerFactory> schedulers =
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, SchedulerFactory>>() { }));
            assertTrue(schedulers.keySet().containsAll(Set.of("fifo", "fair")), schedulers.keySet().toString());
            SchedulingPolicy policy = injector.getInstance(SchedulingPolicy.class);
            assertTrue(policy.createQueue(SchedulingLevel.TASK_SETS).groups().stream().allMatch(g -> g.items() == 0));
            assertEquals("fair", environment.selected().scheduler().name());
            assertEquals(3.0, environment.config().policy(PolicyKind.SCHEDULER, "fair")
                    .get(fairWeight(environment), "reports"));
            assertEquals("sort", injector.getInstance(ShuffleManager.class).name());
        }
    }

    @Test
    void reportsAMissingPolicyWithTheAvailableNames() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Bootstrap(launch(null, Map.of("ember.allocation", "dinamic"))).load());

        assertEquals(1, e.problems().size(), e.getMessage());
        String message = e.problems().get(0).message();
        assertTrue(message.contains("no allocation policy named 'dinamic'"), message);
        assertTrue(message.contains("did you mean 'dynamic'"), message);
        assertTrue(message.contains("available: dynamic, static"), message);
        assertEquals("application setting", e.problems().get(0).origin());
    }

    @Test
    void reportsBadSettingsOfEverySourceTogether() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("ember.properties"), "ember.executor.cores=0\n");
        Files.writeString(conf.resolve("scheduler-fair.properties"), "pool.a.wieght=2\n");

        ConfigException e = assertThrows(ConfigException.class,
                () -> new Bootstrap(launch(conf, Map.of("ember.task.cpus", "many"))).load());

        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void factoryRefusalOfItsSettingsNamesTheKeyAndFile() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("ember.properties"), "ember.scheduler=fair\n");
        Files.writeString(conf.resolve("scheduler-fair.properties"), "queue.q.minShare=5\nqueue.q.maxShare=2\n");

        try (EmberEnvironment environment = new Bootstrap(launch(conf, Map.of())).load()) {
            Exception e = assertThrows(Exception.class, () -> environment.createInjector().getInstance(SchedulingPolicy.class));
            Throwable cause = rootCause(e);
            assertInstanceOf(InvalidSettingException.class, cause, e.toString());
            assertTrue(cause.getMessage().contains("ember.scheduler.fair.queue.q.minShare"), cause.getMessage());
            assertTrue(cause.getMessage().contains("scheduler-fair.properties:1"), cause.getMessage());
        }
    }

    @Test
    void findsThePluginsDirectoryUnderTheHomeUnlessOneIsConfigured() {
        Bootstrap underHome = new Bootstrap(launch(null, Map.of()));
        assertEquals(Optional.of(home.resolve("plugins")), underHome.pluginsDir(underHome.readSources()));

        Bootstrap configured = new Bootstrap(launch(null, Map.of("ember.plugins.dir", "extra/plugins")));
        assertEquals(Optional.of(home.resolve("extra/plugins")), configured.pluginsDir(configured.readSources()));
    }

    @Test
    void aProcessOutsideAnInstallationHasNoPluginsDirectory() {
        Bootstrap outside = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Map.of()));

        assertEquals(Optional.empty(), outside.pluginsDir(outside.readSources()));
        try (EmberEnvironment environment = outside.load()) {
            assertEquals("fifo", environment.selected().scheduler().name(), "built-in plugins still load");
        }
    }

    private static ConfigKey<Double> fairWeight(EmberEnvironment environment) {
        @SuppressWarnings("unchecked")
        ConfigKey<Double> key = (ConfigKey<Double>) environment.selected()
                .scheduler().configKeys().stream().filter(k -> k.name().equals("pool.<name>.weight")).findFirst().orElseThrow();
        return key;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private LaunchContext launch(Path conf, Map<String, String> settings) {
        return TestingLaunch.with(home, conf, Map.of(), Map.of(), settings);
    }
}
