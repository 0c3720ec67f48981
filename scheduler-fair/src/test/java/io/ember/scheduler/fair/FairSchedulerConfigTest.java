package io.ember.scheduler.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.InvalidSettingException;
import io.ember.api.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class FairSchedulerConfigTest {

    private static final String PREFIX = "ember.scheduler.fair.";
    private static final String ORIGIN = "conf/scheduler-fair.properties:3";

    @Test
    void declaresEveryKeyWithItsDefault() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigKey<?> key : new FairSchedulerFactory().configKeys()) {
            defaults.put(key.name(), key.defaultText());
            assertFalse(key.doc().isBlank(), key.name());
        }

        assertEquals(Map.of(
                "pool.<name>.weight", "1",
                "pool.<name>.minShare", "0",
                "pool.<name>.mode", "fifo",
                "queue.<name>.weight", "1",
                "queue.<name>.minShare", "0",
                "queue.<name>.maxShare", "unbounded",
                "queue.<name>.mode", "fifo"), defaults);
        assertTrue(FairSchedulerConfig.QUEUE_MAX_SHARE.defaultValue().isEmpty());
    }

    @Test
    void readsDeclaredPoolsAndGivesOthersTheDefaults() {
        GroupRules pools = FairSchedulerConfig.pools(DeclaredSettings.of(FairSchedulerConfig.keys(), Map.of(
                "pool.etl.weight", "2.5", "pool.etl.minShare", "4", "pool.adhoc.mode", "FAIR")));

        assertEquals(new GroupParameters(2.5, 4, Integer.MAX_VALUE, SharingMode.FIFO), pools.forGroup("etl"));
        assertEquals(new GroupParameters(1, 0, Integer.MAX_VALUE, SharingMode.FAIR), pools.forGroup("adhoc"));
        assertEquals(GroupParameters.UNDECLARED, pools.forGroup("anything else"));
        assertEquals(List.of("adhoc", "etl"), List.copyOf(pools.declared().keySet()));
    }

    @Test
    void readsDeclaredQueuesWithTheirMaxShare() {
        GroupRules queues = FairSchedulerConfig.queues(DeclaredSettings.of(FairSchedulerConfig.keys(), Map.of(
                "queue.prod.minShare", "8", "queue.prod.maxShare", "8", "queue.dev.weight", "0")));

        assertEquals(new GroupParameters(1, 8, 8, SharingMode.FIFO), queues.forGroup("prod"));
        assertEquals(new GroupParameters(0, 0, Integer.MAX_VALUE, SharingMode.FIFO), queues.forGroup("dev"));
    }

    @Test
    void refusesANegativeWeightNamingKeyOriginAndAllowedValues() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> load("pool.etl.weight", "-1"));

        assertEquals(PREFIX + "pool.etl.weight", e.key());
        assertEquals(ORIGIN, e.origin());
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("at least 0"), e.getMessage());
    }

    @Test
    void refusesAnUnknownModeListingTheAllowedOnes() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> load("queue.etl.mode", "lifo"));

        assertEquals(PREFIX + "queue.etl.mode", e.key());
        assertEquals(ORIGIN, e.origin());
        assertTrue(e.getMessage().contains("lifo") && e.getMessage().contains("fifo, fair"), e.getMessage());
    }

    @Test
    void refusesANegativeMinShare() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> load("pool.etl.minShare", "-2"));

        assertEquals(PREFIX + "pool.etl.minShare", e.key());
        assertTrue(e.getMessage().contains("at least 0"), e.getMessage());
    }

    @Test
    void refusesAMaxShareBelowOne() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> load("queue.etl.maxShare", "0"));

        assertEquals(PREFIX + "queue.etl.maxShare", e.key());
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @Test
    void refusesAQueueMinShareAboveItsMaxShareWhenCreatingThePolicy() {
        Settings settings = DeclaredSettings.builder(PREFIX, FairSchedulerConfig.keys())
                .set("queue.etl.maxShare", "4", "conf/scheduler-fair.properties:2")
                .set("queue.etl.minShare", "8", ORIGIN)
                .build();

        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new FairSchedulerFactory().create(settings));

        assertEquals(PREFIX + "queue.etl.minShare", e.key());
        assertEquals(ORIGIN, e.origin());
        assertTrue(e.getMessage().contains("8 must not exceed queue.etl.maxShare (4)"), e.getMessage());
    }

    @Test
    void acceptsAnyQueueMinShareWhenMaxShareIsUnbounded() {
        GroupRules queues = FairSchedulerConfig.queues(load("queue.etl.minShare", "1000000"));

        assertEquals(1_000_000, queues.forGroup("etl").minShare());
    }

    private static Settings load(String key, String value) {
        return DeclaredSettings.builder(PREFIX, FairSchedulerConfig.keys()).set(key, value, ORIGIN).build();
    }
}
