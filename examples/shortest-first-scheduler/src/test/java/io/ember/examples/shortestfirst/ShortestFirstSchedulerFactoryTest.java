package io.ember.examples.shortestfirst;

import static io.ember.api.testkit.TestingSchedulable.item;
import static io.ember.examples.shortestfirst.ShortestFirstSchedulerFactory.STARVATION_LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.InvalidSettingException;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.testkit.TestingSchedulable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The factory's one setting: its key, default and parse errors, and that the policy obeys it. */
final class ShortestFirstSchedulerFactoryTest {

    private final ShortestFirstSchedulerFactory factory = new ShortestFirstSchedulerFactory();
    private final List<ConfigKey<?>> keys = factory.configKeys();

    @Test
    void declaresStarvationLimitWithDefault100() {
        assertEquals(List.of(STARVATION_LIMIT), keys);
        assertEquals("starvationLimit", STARVATION_LIMIT.name());
        assertEquals(100, DeclaredSettings.of(keys, Map.of()).get(STARVATION_LIMIT));
        assertEquals("an integer, at least 1", STARVATION_LIMIT.allowedValues());
    }

    @Test
    void thePolicyStarvesNoItemLongerThanTheConfiguredLimit() {
        SchedulingPolicy policy = factory.create(DeclaredSettings.of(keys, Map.of("starvationLimit", "2")));
        SchedulingQueue queue = policy.createQueue(SchedulingLevel.TASK_SETS);
        queue.add(item("small", 1, 50));
        queue.add(item("big", 0, 100));

        assertEquals(List.of("small", "small", "big", "small", "small", "big"), grant(queue, 6));
    }

    @Test
    void theDefaultLimitLetsAHundredSlotsGoToOthersFirst() {
        SchedulingQueue queue = factory.create(DeclaredSettings.of(keys, Map.of()))
                .createQueue(SchedulingLevel.APPLICATIONS);
        queue.add(item("app-small", 1, 500));
        queue.add(item("app-big", 0, 1_000));

        List<String> granted = grant(queue, 101);

        assertEquals(100, granted.indexOf("app-big"), granted.toString());
    }

    @Test
    void refusesALimitBelowOne() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> DeclaredSettings.of(keys, Map.of("starvationLimit", "0")));

        assertEquals("starvationLimit", e.key());
        assertTrue(e.reason().contains("'0' is not allowed; expected an integer, at least 1"), e.getMessage());
    }

    @Test
    void refusesAValueThatIsNotANumber() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> DeclaredSettings.of(keys, Map.of("starvationLimit", "many")));

        assertEquals("starvationLimit", e.key());
        assertTrue(e.reason().contains("expected an integer, at least 1"), e.getMessage());
    }

    @Test
    void refusesAMisspeltKeyWithASuggestion() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> DeclaredSettings.of(keys, Map.of("starvationLimt", "5")));

        assertEquals("unknown key (did you mean starvationLimit?)", e.reason());
    }

    @Test
    void eachLevelGetsAQueueOfItsOwn() {
        SchedulingPolicy policy = new ShortestFirstSchedulingPolicy(5);

        assertNotSame(policy.createQueue(SchedulingLevel.TASK_SETS), policy.createQueue(SchedulingLevel.TASK_SETS));
        assertThrows(NullPointerException.class, () -> policy.createQueue(null));
    }

    @Test
    void thePolicyRefusesALimitBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShortestFirstSchedulingPolicy(-1));

        assertEquals("starvationLimit must be >= 1: -1", e.getMessage());
    }

    private static List<String> grant(SchedulingQueue queue, int slots) {
        return TestingSchedulable.grantSlots(queue, slots).stream().map(TestingSchedulable::name).toList();
    }
}
