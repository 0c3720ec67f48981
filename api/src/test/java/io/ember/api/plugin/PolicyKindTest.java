package io.ember.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.allocation.AllocationPolicyFactory;
import org.junit.jupiter.api.Test;

final class PolicyKindTest {

    @Test
    void namesTheSelectorPrefixAndFileOfAPolicy() {
        assertEquals("ember.scheduler", PolicyKind.SCHEDULER.selectorKey());
        assertEquals("ember.scheduler.fair.", PolicyKind.SCHEDULER.settingsPrefix("fair"));
        assertEquals("scheduler-fair.properties", PolicyKind.SCHEDULER.fileName("fair"));
        assertEquals("allocation-dynamic.properties", PolicyKind.ALLOCATION.fileName("dynamic"));
        assertEquals("ember.shuffle.sort.", PolicyKind.SHUFFLE.settingsPrefix("sort"));
    }

    @Test
    void knowsTheFactoryTypeOfEachKind() {
        assertEquals(AllocationPolicyFactory.class, PolicyKind.ALLOCATION.factoryType());
    }
}
