package io.ember.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class DeclaredSettingsTest {

    private static final ConfigKey<Duration> INTERVAL = ConfigKey.durationKey("reload.interval")
            .defaultValue(Duration.ofSeconds(10)).doc("How often.").build();
    private static final ConfigKey<String> FILE = ConfigKey.stringKey("allocation.file").doc("Pools file.").build();
    private static final ConfigKey<Integer> WEIGHT = ConfigKey.intKey("pool.<name>.weight")
            .defaultValue(1).min(0).doc("Weight.").build();
    private static final ConfigKey<String> MODE = ConfigKey.choiceKey("pool.<name>.mode", "FIFO", "FAIR")
            .doc("Mode, no default.").build();
    private static final List<ConfigKey<?>> KEYS = List.of(INTERVAL, FILE, WEIGHT, MODE);

    @Test
    void givesConfiguredValuesTyped() {
        Settings settings = DeclaredSettings.of(KEYS, Map.of("reload.interval", "2m", "pool.etl.weight", "3"));
        assertEquals(Duration.ofMinutes(2), settings.get(INTERVAL));
        assertEquals(3, settings.get(WEIGHT, "etl"));
    }

    @Test
    void fallsBackToDefaultsForFixedAndPatternKeys() {
        Settings settings = DeclaredSettings.of(KEYS, Map.of());
        assertEquals(Duration.ofSeconds(10), settings.get(INTERVAL));
        assertEquals(1, settings.get(WEIGHT, "anything"));
    }

    @Test
    void findsNothingForAKeyWithoutValueOrDefault() {
        Settings settings = DeclaredSettings.of(KEYS, Map.of());
        assertEquals(Optional.empty(), settings.find(FILE));
        assertEquals(Optional.empty(), settings.find(MODE, "etl"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.get(FILE));
        assertEquals("no value and no default for allocation.file", e.getMessage());
    }

    @Test
    void listsTheConfiguredNamesOfAPatternInOrder() {
        Settings settings = DeclaredSettings.of(KEYS, Map.of(
                "pool.zeta.weight", "1", "pool.alpha.weight", "2", "pool.mid.mode", "fair"));
        assertEquals(List.of("alpha", "zeta"), List.copyOf(settings.names(WEIGHT)));
        assertEquals(Set.of("mid"), settings.names(MODE));
    }

    @Test
    void tellsWhereEachValueCameFrom() {
        Settings settings = DeclaredSettings.builder("ember.scheduler.fair.", KEYS)
                .set("pool.etl.weight", "3", "conf/scheduler-fair.properties:4")
                .build();
        assertTrue(settings.isSet("pool.etl.weight"));
        assertEquals("conf/scheduler-fair.properties:4", settings.origin("pool.etl.weight"));
        assertFalse(settings.isSet("reload.interval"));
        assertEquals("default", settings.origin("reload.interval"));
    }

    @Test
    void aLaterValueReplacesAnEarlierOneWithItsOrigin() {
        Settings settings = DeclaredSettings.builder("", KEYS)
                .set("reload.interval", "1s", "file")
                .set("reload.interval", "2s", "application setting")
                .build();
        assertEquals(Duration.ofSeconds(2), settings.get(INTERVAL));
        assertEquals("application setting", settings.origin("reload.interval"));
    }

    @Test
    void rejectsAnUnknownKeySuggestingTheFullName() {
        DeclaredSettings.Builder builder = DeclaredSettings.builder("ember.scheduler.fair.", KEYS)
                .set("reload.intervall", "1s", "conf/scheduler-fair.properties:2");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, builder::build);
        assertEquals("ember.scheduler.fair.reload.intervall", e.key());
        assertEquals("conf/scheduler-fair.properties:2", e.origin());
        assertEquals("unknown key (did you mean ember.scheduler.fair.reload.interval?)", e.reason());
    }

    @Test
    void suggestsAPatternForAMisspeltInstance() {
        DeclaredSettings.Builder builder = DeclaredSettings.builder("", KEYS).set("pool.etl.wieght", "1", "test");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, builder::build);
        assertEquals("unknown key (did you mean pool.<name>.weight?)", e.reason());
    }

    @Test
    void rejectsABadValueNamingKeyOriginAndAllowedValues() {
        DeclaredSettings.Builder builder = DeclaredSettings.builder("ember.scheduler.fair.", KEYS)
                .set("pool.etl.weight", "-1", "conf/scheduler-fair.properties:7");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, builder::build);
        assertEquals("ember.scheduler.fair.pool.etl.weight (conf/scheduler-fair.properties:7): "
                + "'-1' is not allowed; expected an integer, at least 0", e.getMessage());
    }

    @Test
    void reportsARequiredKeyWithoutValue() {
        ConfigKey<String> host = ConfigKey.stringKey("host").required().doc("Host.").build();
        List<InvalidSettingException> problems = DeclaredSettings.builder("ember.x.", List.of(host)).problems();
        assertEquals(1, problems.size());
        assertEquals("ember.x.host", problems.get(0).key());
        assertTrue(problems.get(0).reason().startsWith("is required"), problems.get(0).reason());
    }

    @Test
    void reportsEveryProblemNotOnlyTheFirst() {
        DeclaredSettings.Builder builder = DeclaredSettings.builder("", KEYS)
                .set("reload.interval", "soon", "a")
                .set("pool.etl.weight", "x", "b")
                .set("nonsense", "1", "c");
        assertEquals(3, builder.problems().size());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, builder::build);
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void refusesToReadAKeyItWasNotDeclaredWith() {
        Settings settings = DeclaredSettings.of(List.of(INTERVAL), Map.of());
        ConfigKey<Integer> other = ConfigKey.intKey("other").defaultValue(1).doc("Other.").build();
        assertThrows(IllegalArgumentException.class, () -> settings.get(other));
        assertThrows(IllegalArgumentException.class, () -> settings.names(WEIGHT));
    }

    @Test
    void refusesToReadAPatternWithoutAName() {
        Settings settings = DeclaredSettings.of(KEYS, Map.of());
        assertThrows(IllegalArgumentException.class, () -> settings.get(WEIGHT));
    }

    @Test
    void refusesAKeyDeclaredTwice() {
        ConfigKey<Integer> again = ConfigKey.intKey("reload.interval").defaultValue(1).doc("Again.").build();
        assertThrows(IllegalArgumentException.class, () -> DeclaredSettings.builder("", List.of(INTERVAL, again)));
    }

    @Test
    void anInvalidCombinationNamesTheFullKeyAndItsOrigin() {
        Settings settings = DeclaredSettings.builder("ember.allocation.dynamic.", KEYS)
                .set("reload.interval", "1s", "environment variable EMBER_X")
                .build();
        InvalidSettingException e = settings.invalid("reload.interval", "must exceed the heartbeat");
        assertEquals("ember.allocation.dynamic.reload.interval (environment variable EMBER_X): must exceed the heartbeat",
                e.getMessage());
    }
}
