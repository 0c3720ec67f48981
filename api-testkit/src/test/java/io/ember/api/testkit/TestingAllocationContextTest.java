package io.ember.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class TestingAllocationContextTest {

    private final RecordingAllocationClient client = new RecordingAllocationClient();
    private final ManualClock clock = new ManualClock();

    @Test
    void ofGivesOneTaskPerExecutorAndNoConfiguredInstances() {
        TestingAllocationContext context = TestingAllocationContext.of(client, clock);

        assertEquals("app-1", context.applicationId());
        assertSame(client, context.client());
        assertSame(clock, context.clock());
        assertEquals(1, context.coresPerExecutor());
        assertEquals(1, context.coresPerTask());
        assertEquals(0, context.configuredExecutors());
        assertFalse(context.configuredExecutorsSet());
    }

    @Test
    void withCoresChangesOnlyTheCores() {
        TestingAllocationContext context = TestingAllocationContext.of(client, clock).withCores(4, 2);

        assertEquals(4, context.coresPerExecutor());
        assertEquals(2, context.coresPerTask());
        assertSame(client, context.client());
        assertFalse(context.configuredExecutorsSet());
    }

    @Test
    void withConfiguredExecutorsMarksThemSetByTheApplication() {
        TestingAllocationContext context = TestingAllocationContext.of(client, clock).withCores(4, 1)
                .withConfiguredExecutors(3);

        assertEquals(3, context.configuredExecutors());
        assertTrue(context.configuredExecutorsSet());
        assertEquals(4, context.coresPerExecutor());
    }

    @Test
    void refusesCountsNoHostWouldGive() {
        assertThrows(IllegalArgumentException.class, () -> TestingAllocationContext.of(client, clock).withCores(0, 1));
        assertThrows(IllegalArgumentException.class, () -> TestingAllocationContext.of(client, clock).withCores(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> TestingAllocationContext.of(client, clock).withConfiguredExecutors(-1));
        assertThrows(NullPointerException.class, () -> TestingAllocationContext.of(null, clock));
        assertThrows(NullPointerException.class, () -> TestingAllocationContext.of(client, null));
    }
}
