package io.ember.examples.shortestfirst;

import static io.ember.api.testkit.TestingSchedulable.item;
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

final class ShortestFirstQueueTest {

    /** High enough that no test below starves an item unless it sets its own limit. */
    private static final int NO_STARVATION = 1_000;

    private final SchedulingQueue queue = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, NO_STARVATION);

    @Test
    void givesTheSlotToTheTaskSetWithTheFewestRemainingTasks() {
        TestingSchedulable longJob = item("job-0/stage-0", 0, 40);
        TestingSchedulable shortJob = item("job-1/stage-1", 1, 2);
        queue.add(longJob);
        queue.add(shortJob);

        assertSame(shortJob, queue.next());
    }

    @Test
    void countsRunningTasksAsRemainingWork() {
        TestingSchedulable mostlyRunning = item("job-0/stage-0", 0, 1).running(9);
        TestingSchedulable allPending = item("job-1/stage-1", 1, 4);
        queue.add(mostlyRunning);
        queue.add(allPending);

        assertSame(allPending, queue.next(), "10 remaining tasks (1 pending + 9 running) come after 4");
    }

    @Test
    void breaksRemainingWorkTiesByPriority() {
        TestingSchedulable later = item("job-2/stage-0", 2, 3);
        TestingSchedulable earlier = item("job-1/stage-5", 1, 3);
        queue.add(later);
        queue.add(earlier);

        assertSame(earlier, queue.next());
    }

    @Test
    void breaksPriorityTiesBySequence() {
        TestingSchedulable laterStage = new TestingSchedulable("job-1/stage-3", "default", 1, 3, 3);
        TestingSchedulable earlierStage = new TestingSchedulable("job-1/stage-2", "default", 1, 2, 3);
        queue.add(laterStage);
        queue.add(earlierStage);

        assertSame(earlierStage, queue.next());
    }

    @Test
    void breaksRemainingTiesByName() {
        TestingSchedulable b = item("b", 1, 3);
        TestingSchedulable a = item("a", 1, 3);
        queue.add(b);
        queue.add(a);

        assertSame(a, queue.next());
    }

    @Test
    void aGrantLeavesTheRemainingWorkOfATaskSetUnchanged() {
        TestingSchedulable small = item("job-1/stage-1", 1, 2);
        TestingSchedulable big = item("job-0/stage-0", 0, 3);
        queue.add(small);
        queue.add(big);

        List<TestingSchedulable> granted = TestingSchedulable.grantSlots(queue, 5);

        assertEquals(List.of(small, small, big, big, big), granted,
                "a launched task is still remaining work: small keeps its place until it has none pending");
        assertNull(queue.next());
    }

    @Test
    void finishedTasksMoveATaskSetForward() {
        TestingSchedulable nearlyDone = item("job-0/stage-0", 0, 2).running(6);
        TestingSchedulable fresh = item("job-1/stage-1", 1, 5);
        queue.add(nearlyDone);
        queue.add(fresh);
        assertSame(fresh, queue.next(), "8 remaining against 5");

        queue.update(nearlyDone.finish().finish().finish().finish());

        assertSame(nearlyDone, queue.next(), "4 remaining against 5");
    }

    @Test
    void moreWorkMovesATaskSetBack() {
        TestingSchedulable first = item("job-0/stage-0", 0, 3);
        TestingSchedulable second = item("job-1/stage-1", 1, 5);
        queue.add(first);
        queue.add(second);
        assertSame(first, queue.next());

        queue.update(first.pending(10));

        assertSame(second, queue.next());
    }

    @Test
    void neverOffersAnItemWithNoPendingWork() {
        TestingSchedulable idle = item("job-0/stage-0", 0, 0).running(1);
        TestingSchedulable busy = item("job-1/stage-1", 1, 30);
        queue.add(idle);
        queue.add(busy);
        List<String> asked = new ArrayList<>();

        assertNull(queue.offer(item -> {
            asked.add(item.name());
            return false;
        }));
        assertEquals(List.of("job-1/stage-1"), asked, "idle has the least remaining work but wants no slot");

        queue.update(busy.pending(0));
        assertNull(queue.next());
        queue.update(idle.pending(1));
        assertSame(idle, queue.next());
    }

    @Test
    void offersCandidatesInOrderAndReturnsTheFirstThatAccepts() {
        TestingSchedulable smallest = item("c", 3, 1);
        TestingSchedulable middle = item("a", 1, 2);
        TestingSchedulable largest = item("b", 2, 3);
        queue.add(largest);
        queue.add(smallest);
        queue.add(middle);
        List<String> asked = new ArrayList<>();

        assertSame(largest, queue.offer(item -> {
            asked.add(item.name());
            return item == largest;
        }));
        assertEquals(List.of("c", "a", "b"), asked);
    }

    @Test
    void returnsNullWhenEveryCandidateRejects() {
        queue.add(item("job-1/stage-0", 1, 1));

        assertNull(queue.offer(item -> false));
    }

    @Test
    void givesASlotToAnItemThatWaitedThroughTheStarvationLimit() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 3);
        TestingSchedulable small = item("small", 1, 50);
        TestingSchedulable big = item("big", 0, 100);
        starving.add(small);
        starving.add(big);

        List<String> granted = grant(starving, 8);

        assertEquals(List.of("small", "small", "small", "big", "small", "small", "small", "big"), granted);
    }

    @Test
    void givesStarvingItemsTheirSlotsLongestWaitingFirst() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 2);
        TestingSchedulable tiny = item("tiny", 9, 10);
        TestingSchedulable older = item("older", 2, 60);
        TestingSchedulable younger = item("younger", 1, 50);
        starving.add(older);
        starving.add(tiny);
        assertEquals(List.of("tiny"), grant(starving, 1));
        starving.add(younger);

        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            asked.clear();
            TestingSchedulable next = (TestingSchedulable) starving.offer(item -> {
                asked.add(item.name());
                return item == tiny;
            });
            starving.update(next.grant());
        }

        assertEquals(List.of("older", "younger", "tiny"), asked,
                "both starving, asked longest waiting first (although younger has less work), then tiny");
        assertEquals(List.of("older", "younger", "tiny"), grant(starving, 3));
    }

    @Test
    void aStarvingItemThatRejectsTheSlotIsNotAskedTwice() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 1);
        TestingSchedulable picky = item("picky", 0, 2);
        TestingSchedulable other = item("other", 1, 10);
        starving.add(picky);
        starving.add(other);
        assertSame(other, starving.offer(item -> item == other), "picky cannot use this slot");
        List<String> asked = new ArrayList<>();

        Object chosen = starving.offer(item -> {
            asked.add(item.name());
            return item == other;
        });

        assertSame(other, chosen);
        assertEquals(List.of("picky", "other"), asked, "picky, starving and shortest, is asked once");
    }

    @Test
    void nextDoesNotCountAsHandingOutASlot() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 1);
        TestingSchedulable small = item("small", 1, 5);
        TestingSchedulable big = item("big", 0, 50);
        starving.add(small);
        starving.add(big);

        for (int i = 0; i < 5; i++) {
            assertSame(small, starving.next());
        }
        assertNull(starving.offer(item -> false), "an offer nobody takes hands out nothing either");

        assertEquals(List.of("small", "big"), grant(starving, 2));
    }

    @Test
    void timeWithoutPendingWorkDoesNotCountTowardsStarvation() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 2);
        TestingSchedulable small = item("small", 1, 50);
        TestingSchedulable resting = item("resting", 0, 0);
        starving.add(small);
        starving.add(resting);
        assertEquals(List.of("small", "small", "small"), grant(starving, 3));

        starving.update(resting.pending(100));

        assertEquals(List.of("small", "small", "resting"), grant(starving, 3));
    }

    @Test
    void ordersApplicationsByTheCoresTheyStillAskFor() {
        SchedulingQueue applications = new ShortestFirstQueue(SchedulingLevel.APPLICATIONS, NO_STARVATION);
        TestingSchedulable nearlyServed = item("app-1", 1, 2).running(10);
        TestingSchedulable newcomer = item("app-2", 2, 4);
        applications.add(nearlyServed);
        applications.add(newcomer);
        queue.add(item("app-1", 1, 2).running(10));
        queue.add(item("app-2", 2, 4));

        assertSame(nearlyServed, applications.next(), "2 cores asked for against 4; the 10 it holds do not count");
        assertEquals("app-2", queue.next().name(), "at the driver the same counts are 12 remaining tasks against 4");
    }

    @Test
    void theSmallestRequestKeepsGettingCoresUntilItIsMet() {
        SchedulingQueue applications = new ShortestFirstQueue(SchedulingLevel.APPLICATIONS, NO_STARVATION);
        TestingSchedulable big = item("app-1", 1, 3);
        TestingSchedulable small = item("app-2", 2, 2);
        applications.add(big);
        applications.add(small);

        assertEquals(List.of("app-2", "app-2", "app-1", "app-1", "app-1"), grant(applications, 5),
                "app-2 wants 2 cores, app-1 3: app-2 keeps the lead until it has all it asked for");
    }

    @Test
    void refusesAnItemWhoseNameIsAlreadyQueued() {
        queue.add(item("job-1/stage-0", 1, 1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.add(new TestingSchedulable("job-1/stage-0", "other", 9, 9, 1)));
        assertTrue(e.getMessage().contains("job-1/stage-0"), e.getMessage());
    }

    @Test
    void refusesNegativeCountsAndKeepsTheCountsItHad() {
        TestingSchedulable broken = item("job-1/stage-0", 1, -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.add(broken));
        assertTrue(e.getMessage().contains("pending=-1"), e.getMessage());
        assertEquals(List.of(), queue.groups());

        TestingSchedulable small = item("small", 1, 2);
        TestingSchedulable big = item("big", 2, 5);
        queue.add(small);
        queue.add(big);
        assertThrows(IllegalArgumentException.class, () -> queue.update(small.running(-3)));

        assertSame(small, queue.next(), "still 2 remaining");
        queue.update(small.running(0).pending(0));
        assertSame(big, queue.next());
    }

    @Test
    void removeTakesAnItemOutOfBothOrders() {
        SchedulingQueue starving = new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 1);
        TestingSchedulable small = item("small", 1, 5);
        TestingSchedulable big = item("big", 0, 50);
        starving.add(small);
        starving.add(big);
        assertEquals(List.of("small"), grant(starving, 1));

        starving.remove(big);

        assertSame(small, starving.next(), "big was starving, but is gone");
        starving.add(big);
        assertSame(small, starving.next(), "added again, big starts waiting afresh");
    }

    @Test
    void removingOrUpdatingAnAbsentItemDoesNothing() {
        TestingSchedulable absent = item("job-1/stage-0", 1, 1);

        queue.remove(absent);
        queue.update(absent);

        assertNull(queue.next());
        assertEquals(List.of(), queue.groups());
    }

    @Test
    void reportsOneStatusPerGroupWithSums() {
        queue.add(new TestingSchedulable("a1", "etl", 1, 0, 3).running(2));
        queue.add(new TestingSchedulable("a2", "etl", 2, 0, 0).running(4));
        queue.add(new TestingSchedulable("b1", "adhoc", 3, 0, 1));

        assertEquals(List.of(
                        new GroupStatus("adhoc", "shortest-first", 1, 0, Integer.MAX_VALUE, 0, 1, 1),
                        new GroupStatus("etl", "shortest-first", 1, 0, Integer.MAX_VALUE, 6, 3, 2)),
                queue.groups());
    }

    @Test
    void refusesAStarvationLimitBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShortestFirstQueue(SchedulingLevel.TASK_SETS, 0));
        assertTrue(e.getMessage().contains("starvationLimit must be >= 1: 0"), e.getMessage());
    }

    /** Offers {@code slots} slots that every item can use, granting each as the host does. */
    private static List<String> grant(SchedulingQueue queue, int slots) {
        List<String> granted = TestingSchedulable.grantSlots(queue, slots).stream().map(TestingSchedulable::name).toList();
        assertEquals(slots, granted.size(), "no item took a slot after " + granted);
        return granted;
    }
}
