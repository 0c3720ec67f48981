package io.ember.allocation.dynamic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.InvalidSettingException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class DynamicAllocationSettingsTest {

    private static final String PREFIX = "ember.allocation.dynamic.";
    private static final String FILE = "conf/allocation-dynamic.properties";

    @Test
    void pinsEveryKeyAndItsDocumentedDefault() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigKey<?> key : DynamicAllocationSettings.KEYS) {
            defaults.put(key.name(), key.defaultText());
            assertFalse(key.doc().isBlank(), key.name());
            assertFalse(key.isRequired(), key.name());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("minExecutors", "0");
        expected.put("maxExecutors", "unbounded");
        expected.put("initialExecutors", "the value of minExecutors");
        expected.put("executorAllocationRatio", "1");
        expected.put("schedulerBacklogTimeout", "1s");
        expected.put("sustainedSchedulerBacklogTimeout", "the value of schedulerBacklogTimeout");
        expected.put("executorIdleTimeout", "1m");
        expected.put("cachedExecutorIdleTimeout", "never");
        expected.put("shuffleTracking.enabled", "true");
        expected.put("shuffleTracking.timeout", "never");
        assertEquals(expected, defaults);
    }

    @Test
    void readsSparksDefaults() {
        DynamicAllocationSettings settings = read(Map.of());
        assertEquals(new DynamicAllocationSettings(0, Integer.MAX_VALUE, 0, 1.0, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Optional.empty(), true, Optional.empty()), settings);
    }

    @Test
    void readsEveryKey() {
        DynamicAllocationSettings settings = read(Map.of(
                "minExecutors", "2",
                "maxExecutors", "20",
                "initialExecutors", "5",
                "executorAllocationRatio", "0.5",
                "schedulerBacklogTimeout", "2s",
                "sustainedSchedulerBacklogTimeout", "500ms",
                "executorIdleTimeout", "30s",
                "cachedExecutorIdleTimeout", "10m",
                "shuffleTracking.enabled", "true",
                "shuffleTracking.timeout", "1h"));
        assertEquals(new DynamicAllocationSettings(2, 20, 5, 0.5, Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(30), Optional.of(Duration.ofMinutes(10)), true, Optional.of(Duration.ofHours(1))),
                settings);
    }

    @Test
    void initialExecutorsDefaultsToMinExecutors() {
        assertEquals(3, read(Map.of("minExecutors", "3")).initialExecutors());
    }

    @Test
    void sustainedTimeoutDefaultsToTheBacklogTimeout() {
        assertEquals(Duration.ofSeconds(5), read(Map.of("schedulerBacklogTimeout", "5s")).sustainedSchedulerBacklogTimeout());
    }

    @Test
    void rejectsMinAboveMax() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(
                "minExecutors", "5", "maxExecutors", "4")));
        assertEquals(PREFIX + "minExecutors", e.key());
        assertEquals(FILE + ":minExecutors", e.origin());
        assertTrue(e.getMessage().contains("'5' must not exceed maxExecutors (4, from " + FILE + ":maxExecutors)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected an integer from 0 to 4"), e.getMessage());
    }

    @Test
    void rejectsInitialBelowMin() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(
                "minExecutors", "2", "initialExecutors", "1")));
        assertEquals(PREFIX + "initialExecutors", e.key());
        assertEquals(FILE + ":initialExecutors", e.origin());
        assertTrue(e.getMessage().contains("'1' is outside"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an integer, at least 2"), e.getMessage());
    }

    @Test
    void rejectsInitialAboveMax() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(
                "maxExecutors", "8", "initialExecutors", "10")));
        assertEquals(PREFIX + "initialExecutors", e.key());
        assertTrue(e.getMessage().contains("'10' is outside [minExecutors, maxExecutors] (0, 8)"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an integer from 0 to 8"), e.getMessage());
    }

    @Test
    void rejectsNegativeExecutorCounts() {
        assertRejected("minExecutors", "-1", "an integer, at least 0");
        assertRejected("maxExecutors", "-1", "an integer, at least 0");
        assertRejected("initialExecutors", "-3", "an integer, at least 0");
    }

    @Test
    void rejectsZeroAndNegativeTimeouts() {
        for (String key : List.of("schedulerBacklogTimeout", "sustainedSchedulerBacklogTimeout", "executorIdleTimeout",
                "cachedExecutorIdleTimeout", "shuffleTracking.timeout")) {
            assertRejected(key, "0s", "a duration such as 500ms, 5s, 2m or 1h, greater than 0ms");
            assertRejected(key, "-1s", "a duration such as 500ms, 5s, 2m or 1h, greater than 0ms");
        }
    }

    @Test
    void rejectsRatiosOutsideZeroToOne() {
        assertRejected("executorAllocationRatio", "0", "a number, greater than 0, at most 1");
        assertRejected("executorAllocationRatio", "1.5", "a number, greater than 0, at most 1");
        assertRejected("executorAllocationRatio", "half", "a number, greater than 0, at most 1");
    }

    @Test
    void suggestsTheKeyMeantForATypo() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(
                "maxExecutor", "3")));
        assertTrue(e.getMessage().contains("did you mean " + PREFIX + "maxExecutors?"), e.getMessage());
    }

    @Test
    void recordRejectsInconsistentValuesBuiltByHand() {
        assertThrows(IllegalArgumentException.class, () -> new DynamicAllocationSettings(3, 2, 3, 1.0,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), false, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new DynamicAllocationSettings(0, 2, 0, 0.0,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), false, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new DynamicAllocationSettings(0, 2, 0, 1.0,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), false, Optional.empty()));
    }

    @Test
    void recordNamesTheOffendingValue() {
        assertRecordRejected("executor counts must be >= 0: min -1, max 2, initial 0",
                -1, 2, 0, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("minExecutors (3) must not exceed maxExecutors (2)",
                3, 2, 3, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("initialExecutors (5) must lie between minExecutors (1) and maxExecutors (4)",
                1, 4, 5, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("initialExecutors (0) must lie between minExecutors (1) and maxExecutors (4)",
                1, 4, 0, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("executorAllocationRatio must be in (0, 1]: 1.5",
                0, 4, 0, 1.5, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("executorAllocationRatio must be in (0, 1]: NaN",
                0, 4, 0, Double.NaN, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("schedulerBacklogTimeout must be > 0: PT-1S",
                0, 4, 0, 1.0, Duration.ofSeconds(-1), Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        assertRecordRejected("executorIdleTimeout must be > 0: PT0S",
                0, 4, 0, 1.0, Duration.ofSeconds(1), Duration.ZERO, Optional.empty(), Optional.empty());
        assertRecordRejected("cachedExecutorIdleTimeout must be > 0: PT0S",
                0, 4, 0, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.of(Duration.ZERO), Optional.empty());
        assertRecordRejected("shuffleTracking.timeout must be > 0: PT-1S",
                0, 4, 0, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(),
                Optional.of(Duration.ofSeconds(-1)));
    }

    @Test
    void shuffleTrackingDocsSayOnlyActiveShufflesKeepExecutors() {
        for (ConfigKey<?> key : List.of(DynamicAllocationSettings.SHUFFLE_TRACKING_ENABLED,
                DynamicAllocationSettings.SHUFFLE_TRACKING_TIMEOUT)) {
            assertTrue(key.doc().contains("running job needs"), key.doc());
            assertTrue(key.doc().contains("no shuffle cleaner"), key.doc());
        }
        assertTrue(DynamicAllocationSettings.SHUFFLE_TRACKING_ENABLED.doc().contains("external shuffle service"));
    }

    private static void assertRecordRejected(String message, int min, int max, int initial, double ratio,
            Duration backlog, Duration idle, Optional<Duration> cached, Optional<Duration> shuffle) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DynamicAllocationSettings(
                min, max, initial, ratio, backlog, Duration.ofSeconds(1), idle, cached, shuffle.isPresent(), shuffle));
        assertEquals(message, e.getMessage());
    }

    private static void assertRejected(String key, String value, String allowed) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(Map.of(key, value)),
                key + "=" + value);
        assertEquals(PREFIX + key, e.key());
        assertEquals(FILE + ":" + key, e.origin());
        assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + allowed), e.getMessage());
    }

    /** Reads settings as the host does, each value from a line of the policy's file named after its key. */
    private static DynamicAllocationSettings read(Map<String, String> values) {
        DeclaredSettings.Builder builder = DeclaredSettings.builder(PREFIX, DynamicAllocationSettings.KEYS);
        values.forEach((k, v) -> builder.set(k, v, FILE + ":" + k));
        return DynamicAllocationSettings.from(builder.build());
    }
}
