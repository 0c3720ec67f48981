package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pins every core key: its name, its default and how a bad value is refused. */
final class EmberKeysTest {

    @Test
    void declaresExactlyTheseKeysInThisOrder() {
        assertEquals(List.of("ember.scheduler", "ember.allocation", "ember.shuffle", "ember.plugins.dir",
                        "ember.plugins.parentFirstPackages", "ember.executor.instances", "ember.executor.cores",
                        "ember.task.cpus"),
                EmberKeys.all().stream().map(ConfigKey::name).toList());
    }

    @Test
    void pinsEveryDefault() {
        assertEquals(Optional.of("fifo"), EmberKeys.SCHEDULER.defaultValue());
        assertEquals(Optional.of("static"), EmberKeys.ALLOCATION.defaultValue());
        assertEquals(Optional.of("sort"), EmberKeys.SHUFFLE.defaultValue());
        assertEquals(Optional.of("plugins"), EmberKeys.PLUGINS_DIR.defaultValue());
        assertEquals(Optional.of(""), EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.defaultValue());
        assertEquals(Optional.of(2), EmberKeys.EXECUTOR_INSTANCES.defaultValue());
        assertEquals(Optional.of(1), EmberKeys.EXECUTOR_CORES.defaultValue());
        assertEquals(Optional.of(1), EmberKeys.TASK_CPUS.defaultValue());
    }

    @Test
    void noKeyIsRequiredAndEveryKeyHasADoc() {
        for (ConfigKey<?> key : EmberKeys.all()) {
            assertEquals(false, key.isRequired(), key.name());
            assertEquals(false, key.doc().isBlank(), key.name());
            assertEquals(false, key.isPattern(), key.name());
        }
    }

    @Test
    void pinsHowEveryKeyRefusesABadValue() {
        Map<ConfigKey<?>, List<String>> refusals = Map.of(
                EmberKeys.SCHEDULER, List.of("Fair", "'Fair' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)"),
                EmberKeys.ALLOCATION, List.of("my policy", "'my policy' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)"),
                EmberKeys.SHUFFLE, List.of("", "'' is not allowed; expected a string, "
                        + "a policy name (lower-case letters, digits and -)"),
                EmberKeys.PLUGINS_DIR, List.of("  ", "'' is not allowed; expected a string, not empty"),
                EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES, List.of("com.acme,,org.x", "'com.acme,,org.x' is not allowed; "
                        + "expected a string, comma-separated Java package names"),
                EmberKeys.EXECUTOR_INSTANCES, List.of("-1", "'-1' is not allowed; expected an integer, at least 0"),
                EmberKeys.EXECUTOR_CORES, List.of("0", "'0' is not allowed; expected an integer, at least 1"),
                EmberKeys.TASK_CPUS, List.of("one", "'one' is not an integer; expected an integer, at least 1"));
        assertEquals(EmberKeys.all().size(), refusals.size());
        refusals.forEach((key, refusal) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse(refusal.get(0)),
                    key.name());
            assertEquals(refusal.get(1), e.getMessage(), key.name());
        });
    }

    @Test
    void acceptsTypicalValues() {
        assertEquals("my-policy2", EmberKeys.SCHEDULER.parse("my-policy2"));
        assertEquals("/opt/ember/plugins", EmberKeys.PLUGINS_DIR.parse(" /opt/ember/plugins "));
        assertEquals("com.acme., org.slf4j", EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.parse("com.acme., org.slf4j"));
        assertEquals(0, EmberKeys.EXECUTOR_INSTANCES.parse("0"));
    }

    @Test
    void namesTheSelectorOfEachKind() {
        assertSame(EmberKeys.SCHEDULER, EmberKeys.selector(PolicyKind.SCHEDULER));
        assertSame(EmberKeys.ALLOCATION, EmberKeys.selector(PolicyKind.ALLOCATION));
        assertSame(EmberKeys.SHUFFLE, EmberKeys.selector(PolicyKind.SHUFFLE));
        for (PolicyKind kind : PolicyKind.values()) {
            assertEquals(kind.selectorKey(), EmberKeys.selector(kind).name());
        }
    }

    @Test
    void mapsEveryKeyToItsEnvironmentVariable() {
        assertEquals(List.of("EMBER_SCHEDULER", "EMBER_ALLOCATION", "EMBER_SHUFFLE", "EMBER_PLUGINS_DIR",
                        "EMBER_PLUGINS_PARENTFIRSTPACKAGES", "EMBER_EXECUTOR_INSTANCES", "EMBER_EXECUTOR_CORES",
                        "EMBER_TASK_CPUS"),
                EmberKeys.all().stream().map(k -> EnvironmentVariables.nameOf(k.name())).toList());
    }
}
