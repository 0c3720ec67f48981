package io.ember.scheduler.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.testkit.TestingSchedulable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drives a queue through random changes and checks, after each, that it offers items in the order a
 * full sort of every item by the fair-sharing rules gives.
 */
final class FairSchedulingQueueModelTest {

    private static final Map<String, String> PROPERTIES = Map.of(
            "queue.a.weight", "2", "queue.a.minShare", "3", "queue.a.maxShare", "12",
            "queue.b.weight", "0.5", "queue.b.mode", "fair",
            "queue.c.weight", "0", "queue.c.minShare", "1",
            "queue.d.minShare", "5", "queue.d.mode", "fair", "queue.d.maxShare", "9");
    private static final List<String> GROUPS = List.of("a", "b", "c", "d", "e");

    @Test
    void offersInTheOrderOfAFullSortAfterEveryRandomChange() {
        GroupRules rules = FairSchedulerConfig.queues(DeclaredSettings.of(FairSchedulerConfig.keys(), PROPERTIES));
        SchedulingQueue queue = new FairSchedulerFactory()
                .create(DeclaredSettings.of(FairSchedulerConfig.keys(), PROPERTIES))
                .createQueue(SchedulingLevel.APPLICATIONS);
        Map<String, TestingSchedulable> present = new HashMap<>();
        Random random = new Random(42);

        for (int step = 0; step < 5_000; step++) {
            int action = random.nextInt(10);
            if (action < 3 || present.isEmpty()) {
                String name = "item-" + step;
                TestingSchedulable item = new TestingSchedulable(name, GROUPS.get(random.nextInt(GROUPS.size())),
                        random.nextInt(4), random.nextInt(4), random.nextInt(4)).running(random.nextInt(3));
                queue.add(item);
                present.put(name, item);
            } else {
                List<TestingSchedulable> items = new ArrayList<>(present.values());
                items.sort(Comparator.comparing(TestingSchedulable::name));
                TestingSchedulable item = items.get(random.nextInt(items.size()));
                if (action == 3) {
                    queue.remove(item);
                    present.remove(item.name());
                } else if (action < 7) {
                    TestingSchedulable next = (TestingSchedulable) queue.next();
                    if (next != null) {
                        queue.update(next.grant());
                    }
                } else {
                    queue.update(item.running(random.nextInt(6)).pending(random.nextInt(4)));
                }
            }
            assertEquals(expectedOrder(present.values(), rules), offeredOrder(queue), "after step " + step);
        }
    }

    private static List<String> offeredOrder(SchedulingQueue queue) {
        List<String> names = new ArrayList<>();
        queue.offer(item -> {
            names.add(item.name());
            return false;
        });
        return names;
    }

    /** Spark's fair-sharing order, computed from scratch over every item. */
    private static List<String> expectedOrder(Iterable<TestingSchedulable> items, GroupRules rules) {
        Map<String, List<TestingSchedulable>> byGroup = new HashMap<>();
        items.forEach(item -> byGroup.computeIfAbsent(item.group(), g -> new ArrayList<>()).add(item));
        List<String> groups = new ArrayList<>();
        Map<String, Long> running = new HashMap<>();
        byGroup.forEach((group, members) -> {
            long sum = members.stream().mapToLong(Schedulable::running).sum();
            running.put(group, sum);
            boolean pending = members.stream().anyMatch(m -> m.pending() > 0);
            if (pending && sum < rules.forGroup(group).maxShare()) {
                groups.add(group);
            }
        });
        groups.sort((g1, g2) -> compareGroups(g1, running.get(g1), rules.forGroup(g1), g2, running.get(g2), rules.forGroup(g2)));
        List<String> order = new ArrayList<>();
        for (String group : groups) {
            Comparator<TestingSchedulable> inside = rules.forGroup(group).mode() == SharingMode.FAIR
                    ? Comparator.<TestingSchedulable>comparingInt(Schedulable::running).thenComparing(TestingSchedulable::name)
                    : Comparator.<TestingSchedulable>comparingLong(Schedulable::priority)
                            .thenComparingLong(TestingSchedulable::sequence)
                            .thenComparing(TestingSchedulable::name);
            byGroup.get(group).stream().filter(m -> m.pending() > 0).sorted(inside).forEach(m -> order.add(m.name()));
        }
        return order;
    }

    private static int compareGroups(String name1, long running1, GroupParameters p1,
                                     String name2, long running2, GroupParameters p2) {
        boolean needy1 = running1 < p1.minShare();
        boolean needy2 = running2 < p2.minShare();
        if (needy1 != needy2) {
            return needy1 ? -1 : 1;
        }
        int compare = needy1
                ? Double.compare((double) running1 / Math.max(p1.minShare(), 1), (double) running2 / Math.max(p2.minShare(), 1))
                : Double.compare(weightRatio(running1, p1.weight()), weightRatio(running2, p2.weight()));
        return compare != 0 ? compare : name1.compareTo(name2);
    }

    private static double weightRatio(long running, double weight) {
        return weight == 0 ? Double.POSITIVE_INFINITY : running / weight;
    }
}
