package io.ember.examples.shortestfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.testkit.TestingSchedulable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Drives a queue through random changes and checks, after each, that it offers items in the order a
 * full sort of every item gives, and that offers with a random predicate choose as the full sort
 * says; the model keeps its own count of slots handed out and of when each item began to wait.
 */
final class ShortestFirstQueueModelTest {

    private static final int STARVATION_LIMIT = 4;

    @Test
    void offersTaskSetsInTheOrderOfAFullSortAfterEveryRandomChange() {
        run(SchedulingLevel.TASK_SETS, 1);
    }

    @Test
    void offersApplicationsInTheOrderOfAFullSortAfterEveryRandomChange() {
        run(SchedulingLevel.APPLICATIONS, 2);
    }

    private static void run(SchedulingLevel level, long seed) {
        SchedulingQueue queue = new ShortestFirstQueue(level, STARVATION_LIMIT);
        Model model = new Model(level);
        SplittableRandom random = new SplittableRandom(seed);

        for (int step = 0; step < 5_000; step++) {
            int action = random.nextInt(10);
            if (action < 2 || model.items.isEmpty()) {
                TestingSchedulable item = new TestingSchedulable("item-" + step, "default", random.nextInt(4),
                        random.nextInt(4), random.nextInt(6)).running(random.nextInt(4));
                queue.add(item);
                model.add(item);
            } else {
                List<TestingSchedulable> items = new ArrayList<>(model.items.keySet());
                items.sort(Comparator.comparing(TestingSchedulable::name));
                TestingSchedulable item = items.get(random.nextInt(items.size()));
                if (action == 2) {
                    queue.remove(item);
                    model.remove(item);
                } else if (action < 5) {
                    queue.update(item.running(random.nextInt(6)).pending(random.nextInt(6)));
                    model.update(item);
                } else {
                    Set<String> accepting = items.stream().filter(i -> random.nextInt(3) > 0)
                            .map(TestingSchedulable::name).collect(Collectors.toSet());
                    Predicate<Schedulable> accepts = candidate -> accepting.contains(candidate.name());
                    TestingSchedulable expected = model.offer(accepts);
                    TestingSchedulable chosen = (TestingSchedulable) queue.offer(accepts);
                    assertEquals(expected, chosen, "offer at step " + step);
                    if (chosen != null) {
                        queue.update(chosen.grant());
                        model.update(chosen);
                    }
                }
            }
            assertEquals(model.order(), offeredOrder(queue), "after step " + step);
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

    /** The rules, applied by sorting every item on every question. */
    private static final class Model {
        private final SchedulingLevel level;
        /** Each item with the value of {@link #granted} when it last got a slot or began to want one. */
        private final Map<TestingSchedulable, Long> items = new HashMap<>();
        private final Map<TestingSchedulable, Boolean> wanted = new HashMap<>();
        private long granted;

        Model(SchedulingLevel level) {
            this.level = level;
        }

        void add(TestingSchedulable item) {
            items.put(item, granted);
            wanted.put(item, item.pending() > 0);
        }

        void remove(TestingSchedulable item) {
            items.remove(item);
            wanted.remove(item);
        }

        void update(TestingSchedulable item) {
            boolean wants = item.pending() > 0;
            if (wants && !wanted.get(item)) {
                items.put(item, granted);
            }
            wanted.put(item, wants);
        }

        TestingSchedulable offer(Predicate<Schedulable> accepts) {
            for (TestingSchedulable item : sorted()) {
                if (accepts.test(item)) {
                    granted++;
                    items.put(item, granted);
                    return item;
                }
            }
            return null;
        }

        List<String> order() {
            return sorted().stream().map(TestingSchedulable::name).toList();
        }

        private List<TestingSchedulable> sorted() {
            Comparator<TestingSchedulable> fifo = Comparator.comparingLong(TestingSchedulable::priority)
                    .thenComparingLong(TestingSchedulable::sequence)
                    .thenComparing(TestingSchedulable::name);
            List<TestingSchedulable> starving = new ArrayList<>();
            List<TestingSchedulable> others = new ArrayList<>();
            for (TestingSchedulable item : items.keySet()) {
                if (item.pending() == 0) {
                    continue;
                }
                (granted - items.get(item) >= STARVATION_LIMIT ? starving : others).add(item);
            }
            starving.sort(Comparator.<TestingSchedulable>comparingLong(items::get).thenComparing(fifo));
            others.sort(Comparator.<TestingSchedulable>comparingLong(this::remaining).thenComparing(fifo));
            List<TestingSchedulable> all = new ArrayList<>(starving);
            all.addAll(others);
            return all;
        }

        private long remaining(TestingSchedulable item) {
            return level == SchedulingLevel.TASK_SETS ? (long) item.pending() + item.running() : item.pending();
        }
    }
}
