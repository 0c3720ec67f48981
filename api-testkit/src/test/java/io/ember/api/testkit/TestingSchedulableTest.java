package io.ember.api.testkit;

import static io.ember.api.testkit.TestingSchedulable.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

final class TestingSchedulableTest {

    @Test
    void reportsWhatItWasBuiltWith() {
        TestingSchedulable taskSet = new TestingSchedulable("job-3/stage-7", "reports", 3, 7, 5);

        assertEquals("job-3/stage-7", taskSet.name());
        assertEquals("reports", taskSet.group());
        assertEquals(3, taskSet.priority());
        assertEquals(7, taskSet.sequence());
        assertEquals(0, taskSet.running());
        assertEquals(5, taskSet.pending());
    }

    @Test
    void anItemIsInTheDefaultGroupWithSequenceZero() {
        TestingSchedulable app = item("app-2", 2, 8);

        assertEquals("default", app.group());
        assertEquals(2, app.priority());
        assertEquals(0, app.sequence());
        assertEquals(8, app.pending());
    }

    @Test
    void grantMovesOneSlotFromPendingToRunning() {
        TestingSchedulable item = item("a", 1, 2);

        assertSame(item, item.grant());

        assertEquals(1, item.running());
        assertEquals(1, item.pending());
    }

    @Test
    void finishEndsOneRunningSlot() {
        TestingSchedulable item = item("a", 1, 2).grant().grant();

        item.finish();

        assertEquals(1, item.running());
        assertEquals(0, item.pending());
    }

    @Test
    void refusesAGrantWithoutPendingWorkNamingTheItem() {
        TestingSchedulable item = item("job-1/stage-0", 1, 0).running(2);

        IllegalStateException e = assertThrows(IllegalStateException.class, item::grant);

        assertEquals("job-1/stage-0 was granted a slot without pending work: job-1/stage-0 (running 2, pending 0)",
                e.getMessage());
    }

    @Test
    void refusesToFinishWhatDoesNotRun() {
        assertThrows(IllegalStateException.class, () -> item("a", 1, 3).finish());
    }

    @Test
    void takesAnyCountIncludingNegativeOnesSoThatQueuesCanBeCheckedToRefuseThem() {
        TestingSchedulable item = item("a", 1, 0).running(-1).pending(-2);

        assertEquals(-1, item.running());
        assertEquals(-2, item.pending());
    }

    @Test
    void isEqualOnlyToItself() {
        assertNotEquals(item("a", 1, 1), item("a", 1, 1));
    }

    @Test
    void refusesNullNameOrGroup() {
        assertThrows(NullPointerException.class, () -> new TestingSchedulable(null, "default", 1, 0, 1));
        assertThrows(NullPointerException.class, () -> new TestingSchedulable("a", null, 1, 0, 1));
    }

    @Test
    void grantSlotsGrantsAndUpdatesEachItemThatTakesASlotInOrder() {
        PriorityQueue queue = new PriorityQueue();
        TestingSchedulable first = item("first", 1, 2);
        TestingSchedulable second = item("second", 2, 1);
        queue.add(second);
        queue.add(first);

        List<TestingSchedulable> granted = TestingSchedulable.grantSlots(queue, 3);

        assertEquals(List.of(first, first, second), granted);
        assertEquals(List.of("first", "first", "second"), queue.updates);
        assertEquals(2, first.running());
        assertEquals(0, first.pending());
        assertEquals(1, second.running());
    }

    @Test
    void grantSlotsStopsAtTheFirstSlotNoItemTakes() {
        PriorityQueue queue = new PriorityQueue();
        TestingSchedulable only = item("only", 1, 1);
        queue.add(only);

        assertEquals(List.of(only), TestingSchedulable.grantSlots(queue, 5));
        assertEquals(List.of(), TestingSchedulable.grantSlots(queue, 5));
    }

    @Test
    void grantSlotsRefusesAnItemTheTestDidNotAdd() {
        PriorityQueue queue = new PriorityQueue();
        queue.add(new Schedulable() {
            @Override public String name() { return "foreign"; }
            @Override public String group() { return "default"; }
            @Override public long priority() { return 0; }
            @Override public long sequence() { return 0; }
            @Override public int running() { return 0; }
            @Override public int pending() { return 1; }
            @Override public String toString() { return "foreign"; }
        });

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestingSchedulable.grantSlots(queue, 1));
        assertTrue(e.getMessage().endsWith(": foreign"), e.getMessage());
    }

    /** Lowest priority with pending work first, by a full scan: enough to watch grantSlots work. */
    private static final class PriorityQueue implements SchedulingQueue {

        private final List<Schedulable> items = new ArrayList<>();
        private final List<String> updates = new ArrayList<>();

        @Override
        public void add(Schedulable item) {
            items.add(item);
        }

        @Override
        public void remove(Schedulable item) {
            items.remove(item);
        }

        @Override
        public void update(Schedulable item) {
            updates.add(item.name());
        }

        @Override
        public Schedulable offer(Predicate<? super Schedulable> accepts) {
            return items.stream()
                    .filter(item -> item.pending() > 0)
                    .sorted(Comparator.comparingLong(Schedulable::priority))
                    .filter(accepts)
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public List<GroupStatus> groups() {
            return List.of();
        }
    }
}
