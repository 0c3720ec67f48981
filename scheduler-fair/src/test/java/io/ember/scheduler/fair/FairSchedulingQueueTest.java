package io.ember.scheduler.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.testkit.TestingSchedulable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class FairSchedulingQueueTest {

    @Test
    void givesAPoolBelowItsMinShareTheNextSlot() {
        SchedulingQueue queue = pools(Map.of("pool.owed.minShare", "2"));
        TestingSchedulable idle = add(queue, "idle-pool-job", "idle", 1, 5);
        TestingSchedulable owed = add(queue, "owed-pool-job", "owed", 2, 5).running(1);
        queue.update(owed);

        assertSame(owed, queue.next());
        assertEquals(0, idle.running());
    }

    @Test
    void ordersPoolsBelowMinShareByRunningOverMinShare() {
        SchedulingQueue queue = pools(Map.of("pool.a.minShare", "2", "pool.b.minShare", "4"));
        TestingSchedulable a = add(queue, "a-job", "a", 1, 5).running(1);
        TestingSchedulable b = add(queue, "b-job", "b", 2, 5).running(1);
        queue.update(a);
        queue.update(b);

        assertSame(b, queue.next());
    }

    @Test
    void splitsSlotsByWeight() {
        SchedulingQueue queue = pools(Map.of("pool.light.weight", "1", "pool.heavy.weight", "3"));
        add(queue, "light-job", "light", 1, 100);
        add(queue, "heavy-job", "heavy", 2, 100);

        assertEquals(Map.of("heavy", 30, "light", 10), grant(queue, 40));
    }

    @Test
    void breaksTiesByPoolName() {
        SchedulingQueue queue = pools(Map.of());
        TestingSchedulable second = add(queue, "job-1", "zeta", 1, 1);
        TestingSchedulable first = add(queue, "job-2", "alpha", 2, 1);

        assertSame(first, queue.next());
        assertEquals("zeta", second.group());
    }

    @Test
    void givesUndeclaredPoolsWeightOneAndNoMinShare() {
        SchedulingQueue queue = pools(Map.of("pool.declared.weight", "1"));
        add(queue, "declared-job", "declared", 1, 100);
        add(queue, "adhoc-job", "adhoc", 2, 100);

        assertEquals(Map.of("adhoc", 10, "declared", 10), grant(queue, 20));
        assertEquals(new GroupStatus("adhoc", "fifo", 1, 0, Integer.MAX_VALUE, 10, 90, 1), queue.groups().get(0));
    }

    @Test
    void givesAWeightZeroPoolOnlySlotsNoOtherPoolTakes() {
        SchedulingQueue queue = pools(Map.of("pool.spare.weight", "0"));
        TestingSchedulable spare = add(queue, "spare-job", "spare", 1, 5);
        TestingSchedulable busy = add(queue, "busy-job", "busy", 2, 5).running(50);
        queue.update(busy);

        assertSame(busy, queue.next());
        assertSame(spare, queue.offer(item -> item != busy));
    }

    @Test
    void givesTheEarliestJobEverySlotInAFifoPool() {
        SchedulingQueue queue = pools(Map.of());
        add(queue, "job-1/stage-0", "default", 1, 4);
        add(queue, "job-2/stage-0", "default", 2, 4);

        assertEquals(List.of("job-1/stage-0", "job-1/stage-0", "job-1/stage-0", "job-1/stage-0", "job-2/stage-0"),
                grantedNames(queue, 5));
    }

    @Test
    void sharesAFairPoolEvenlyAmongItsTaskSets() {
        SchedulingQueue queue = pools(Map.of("pool.default.mode", "fair"));
        add(queue, "job-1/stage-0", "default", 1, 4);
        add(queue, "job-2/stage-0", "default", 2, 4);

        assertEquals(List.of("job-1/stage-0", "job-2/stage-0", "job-1/stage-0", "job-2/stage-0"),
                grantedNames(queue, 4));
    }

    @Test
    void ordersByPriorityThenSequenceInsideAFifoPool() {
        SchedulingQueue queue = pools(Map.of());
        add(queue, "job-2/stage-0", "default", 2, 0, 1);
        TestingSchedulable laterStage = add(queue, "job-1/stage-4", "default", 1, 4, 1);
        TestingSchedulable earlierStage = add(queue, "job-1/stage-3", "default", 1, 3, 1);

        assertSame(earlierStage, queue.next());
        queue.update(earlierStage.pending(0));
        assertSame(laterStage, queue.next());
    }

    @Test
    void skipsPoolsWithoutPendingWork() {
        SchedulingQueue queue = pools(Map.of());
        TestingSchedulable done = add(queue, "a-job", "a", 1, 0);
        TestingSchedulable waiting = add(queue, "b-job", "b", 2, 1).running(9);
        queue.update(waiting);

        assertSame(waiting, queue.next());
        assertEquals(0, done.pending());
    }

    @Test
    void offersRejectedCandidatesNextInOrderAcrossPools() {
        SchedulingQueue queue = pools(Map.of());
        add(queue, "a-1", "a", 1, 1);
        add(queue, "a-2", "a", 2, 1);
        TestingSchedulable b1 = add(queue, "b-1", "b", 3, 1).running(1);
        queue.update(b1);
        List<String> asked = new ArrayList<>();

        Schedulable taken = queue.offer(item -> {
            asked.add(item.name());
            return item.name().equals("b-1");
        });

        assertEquals("b-1", taken.name());
        assertEquals(List.of("a-1", "a-2", "b-1"), asked);
        assertNull(queue.offer(item -> false));
    }

    @Test
    void updateMovesAnItemInAndOutOfTheRunnableSet() {
        SchedulingQueue queue = pools(Map.of());
        TestingSchedulable first = add(queue, "job-1", "default", 1, 1);
        TestingSchedulable second = add(queue, "job-2", "default", 2, 1);

        queue.update(first.pending(0));
        assertSame(second, queue.next());

        queue.update(second.pending(0));
        assertNull(queue.next());

        queue.update(first.pending(3));
        assertSame(first, queue.next());
    }

    @Test
    void refusesAnItemWhoseNameIsAlreadyQueued() {
        SchedulingQueue queue = pools(Map.of());
        add(queue, "job-1", "a", 1, 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.add(new TestingSchedulable("job-1", "b", 2, 0, 1)));
        assertTrue(e.getMessage().contains("job-1"), e.getMessage());
    }

    @Test
    void refusesNegativeCountsWithoutKeepingTheItem() {
        SchedulingQueue queue = pools(Map.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.add(new TestingSchedulable("job-1", "a", 1, 0, 1).running(-2)));
        assertTrue(e.getMessage().contains("running=-2"), e.getMessage());
        assertEquals(List.of(), queue.groups());
    }

    @Test
    void removeTakesAnItemAndItsCountsOutOfItsPool() {
        SchedulingQueue queue = pools(Map.of());
        TestingSchedulable hog = add(queue, "hog", "a", 1, 5).running(10);
        queue.update(hog);
        TestingSchedulable other = add(queue, "other", "b", 2, 5).running(1);
        queue.update(other);
        TestingSchedulable small = add(queue, "small", "a", 3, 5);
        assertSame(other, queue.next());

        queue.remove(hog);

        assertSame(small, queue.next());
        queue.remove(hog);
        queue.update(hog);
        assertEquals(List.of("a", "b"), queue.groups().stream().map(GroupStatus::name).toList());
    }

    @Test
    void reportsDeclaredPoolsEvenWhenEmptyAndOthersWhileTheyHoldItems() {
        SchedulingQueue queue = pools(Map.of("pool.etl.weight", "2", "pool.etl.minShare", "3", "pool.etl.mode", "fair",
                "queue.batch.weight", "5"));
        TestingSchedulable adhoc = add(queue, "adhoc-job", "adhoc", 1, 4).running(2);
        queue.update(adhoc);
        TestingSchedulable adhoc2 = add(queue, "adhoc-job-2", "adhoc", 2, 1);

        assertEquals(List.of(
                        new GroupStatus("adhoc", "fifo", 1, 0, Integer.MAX_VALUE, 2, 5, 2),
                        new GroupStatus("etl", "fair", 2, 3, Integer.MAX_VALUE, 0, 0, 0)),
                queue.groups());

        queue.remove(adhoc);
        queue.remove(adhoc2);
        assertEquals(List.of("etl"), queue.groups().stream().map(GroupStatus::name).toList());
    }

    @Test
    void givesAQueueAtItsMaxShareNoFurtherCores() {
        SchedulingQueue queue = applications(Map.of("queue.small.maxShare", "2", "queue.small.weight", "10"));
        add(queue, "app-1", "small", 1, 10);
        TestingSchedulable big = add(queue, "app-2", "big", 2, 10);

        assertEquals(Map.of("big", 8, "small", 2), grant(queue, 10));
        assertNull(queue.offer(item -> item != big));
    }

    @Test
    void offersAQueueCoresAgainOnceItDropsBelowItsMaxShare() {
        SchedulingQueue queue = applications(Map.of("queue.small.maxShare", "2"));
        TestingSchedulable app = add(queue, "app-1", "small", 1, 10);
        grant(queue, 2);
        assertNull(queue.next());

        queue.update(app.running(1));

        assertSame(app, queue.next());
    }

    @Test
    void givesAQueueBelowItsMinShareCoresFirst() {
        SchedulingQueue queue = applications(Map.of("queue.prod.minShare", "4", "queue.prod.weight", "1",
                "queue.dev.weight", "100"));
        add(queue, "app-1", "dev", 1, 10);
        add(queue, "app-2", "prod", 2, 10);

        List<String> granted = grantedNames(queue, 5);

        assertEquals(List.of("app-2", "app-2", "app-2", "app-2", "app-1"), granted);
    }

    @Test
    void reportsQueuesWithTheirMaxShare() {
        SchedulingQueue queue = applications(Map.of("queue.small.maxShare", "2", "queue.small.mode", "fair",
                "pool.etl.weight", "2"));

        assertEquals(List.of(new GroupStatus("small", "fair", 1, 0, 2, 0, 0, 0)), queue.groups());
    }

    private static SchedulingQueue pools(Map<String, String> properties) {
        return policy(properties).createQueue(SchedulingLevel.TASK_SETS);
    }

    private static SchedulingQueue applications(Map<String, String> properties) {
        return policy(properties).createQueue(SchedulingLevel.APPLICATIONS);
    }

    private static SchedulingPolicy policy(Map<String, String> properties) {
        return new FairSchedulerFactory().create(DeclaredSettings.of(FairSchedulerConfig.keys(), properties));
    }

    private static TestingSchedulable add(SchedulingQueue queue, String name, String group, long priority, int pending) {
        return add(queue, name, group, priority, 0, pending);
    }

    private static TestingSchedulable add(SchedulingQueue queue, String name, String group, long priority, long sequence,
                                          int pending) {
        TestingSchedulable item = new TestingSchedulable(name, group, priority, sequence, pending);
        queue.add(item);
        return item;
    }

    /** Grants up to {@code slots} slots as the host does, and counts them by group. */
    private static Map<String, Integer> grant(SchedulingQueue queue, int slots) {
        Map<String, Integer> byGroup = new TreeMap<>();
        TestingSchedulable.grantSlots(queue, slots).forEach(item -> byGroup.merge(item.group(), 1, Integer::sum));
        return byGroup;
    }

    private static List<String> grantedNames(SchedulingQueue queue, int slots) {
        return TestingSchedulable.grantSlots(queue, slots).stream().map(TestingSchedulable::name).toList();
    }
}
