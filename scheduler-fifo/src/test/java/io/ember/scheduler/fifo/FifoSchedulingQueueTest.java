package io.ember.scheduler.fifo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.testkit.TestingSchedulable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class FifoSchedulingQueueTest {

    private final SchedulingQueue queue = new FifoSchedulingPolicy().createQueue(SchedulingLevel.TASK_SETS);

    @Test
    void givesTheSlotToTheLowestPriority() {
        TestingSchedulable laterJob = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 4);
        TestingSchedulable earlierJob = new TestingSchedulable("job-1/stage-5", "default", 1, 5, 4);
        queue.add(laterJob);
        queue.add(earlierJob);

        assertSame(earlierJob, queue.next());
    }

    @Test
    void breaksPriorityTiesBySequence() {
        TestingSchedulable laterStage = new TestingSchedulable("job-1/stage-3", "default", 1, 3, 4);
        TestingSchedulable earlierStage = new TestingSchedulable("job-1/stage-2", "default", 1, 2, 4);
        queue.add(laterStage);
        queue.add(earlierStage);

        assertSame(earlierStage, queue.next());
    }

    @Test
    void breaksRemainingTiesByName() {
        TestingSchedulable b = new TestingSchedulable("b", "default", 1, 1, 1);
        TestingSchedulable a = new TestingSchedulable("a", "default", 1, 1, 1);
        queue.add(b);
        queue.add(a);

        assertSame(a, queue.next());
    }

    @Test
    void skipsItemsWithNoPendingWork() {
        TestingSchedulable idle = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 0).running(3);
        TestingSchedulable busy = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 1);
        queue.add(idle);
        queue.add(busy);

        assertSame(busy, queue.next());
    }

    @Test
    void returnsNullWhenNothingIsPending() {
        queue.add(new TestingSchedulable("job-1/stage-0", "default", 1, 0, 0));

        assertNull(queue.next());
    }

    @Test
    void offersCandidatesInOrderAndReturnsTheFirstThatAccepts() {
        TestingSchedulable first = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1);
        TestingSchedulable second = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 1);
        TestingSchedulable third = new TestingSchedulable("job-3/stage-0", "default", 3, 0, 1);
        queue.add(third);
        queue.add(first);
        queue.add(second);
        List<String> asked = new ArrayList<>();

        assertSame(third, queue.offer(item -> {
            asked.add(item.name());
            return item == third;
        }));
        assertEquals(List.of("job-1/stage-0", "job-2/stage-0", "job-3/stage-0"), asked);
    }

    @Test
    void returnsNullWhenEveryCandidateRejects() {
        queue.add(new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1));

        assertNull(queue.offer(item -> false));
    }

    @Test
    void keepsGivingAnEarlierJobSlotsUntilItHasNoPendingWork() {
        TestingSchedulable earlier = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 2);
        TestingSchedulable later = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 2);
        queue.add(earlier);
        queue.add(later);

        List<TestingSchedulable> granted = TestingSchedulable.grantSlots(queue, 4);

        assertEquals(List.of(earlier, earlier, later, later), granted);
        assertNull(queue.next());
    }

    @Test
    void updateMovesAnItemInAndOutOfTheRunnableSet() {
        TestingSchedulable earlier = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1);
        TestingSchedulable later = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 1);
        queue.add(earlier);
        queue.add(later);

        queue.update(earlier.pending(0));
        assertSame(later, queue.next());

        queue.update(earlier.pending(5));
        assertSame(earlier, queue.next());
    }

    @Test
    void refusesAnItemWhoseNameIsAlreadyQueued() {
        queue.add(new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.add(new TestingSchedulable("job-1/stage-0", "other", 9, 9, 1)));
        assertTrue(e.getMessage().contains("job-1/stage-0"), e.getMessage());
    }

    @Test
    void refusesNegativeCounts() {
        TestingSchedulable item = new TestingSchedulable("job-1/stage-0", "default", 1, 0, -1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.add(item));
        assertTrue(e.getMessage().contains("pending=-1"), e.getMessage());
        assertEquals(List.of(), queue.groups());
    }

    @Test
    void removeTakesAnItemOutOfTheQueue() {
        TestingSchedulable earlier = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1);
        TestingSchedulable later = new TestingSchedulable("job-2/stage-0", "default", 2, 0, 1);
        queue.add(earlier);
        queue.add(later);

        queue.remove(earlier);

        assertSame(later, queue.next());
        queue.add(earlier);
        assertSame(earlier, queue.next());
    }

    @Test
    void removingOrUpdatingAnAbsentItemDoesNothing() {
        TestingSchedulable absent = new TestingSchedulable("job-1/stage-0", "default", 1, 0, 1);

        queue.remove(absent);
        queue.update(absent);

        assertNull(queue.next());
        assertEquals(List.of(), queue.groups());
    }

    @Test
    void reportsOneFifoStatusPerGroupWithSums() {
        queue.add(new TestingSchedulable("a1", "etl", 1, 0, 3).running(2));
        queue.add(new TestingSchedulable("a2", "etl", 2, 0, 0).running(4));
        queue.add(new TestingSchedulable("b1", "adhoc", 3, 0, 1));

        assertEquals(List.of(
                        new GroupStatus("adhoc", "fifo", 1, 0, Integer.MAX_VALUE, 0, 1, 1),
                        new GroupStatus("etl", "fifo", 1, 0, Integer.MAX_VALUE, 6, 3, 2)),
                queue.groups());
    }

    @Test
    void ordersApplicationsTheSameWayAtTheMaster() {
        SchedulingQueue applications = new FifoSchedulingPolicy().createQueue(SchedulingLevel.APPLICATIONS);
        TestingSchedulable second = new TestingSchedulable("app-2", "default", 2, 0, 8);
        TestingSchedulable first = new TestingSchedulable("app-1", "default", 1, 0, 8);
        applications.add(second);
        applications.add(first);

        assertSame(first, applications.next());
    }
}
