package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two jobs started at once on the same shuffle, whose map stage neither has run: the map stage runs
 * once, the second job waits for it and reads its output, and both answers are exact.
 */
@Timeout(120)
final class SharedMapStageTest {

    private static final int MAPS = 4;

    @Test
    void concurrentJobsOnOneShuffleRunItsMapStageOnce() throws Exception {
        try (EmberContext ember = EmberContext.builder().isolated().master("local[4]").appName("shared-map-stage")
                .build()) {
            MapStageTasks maps = new MapStageTasks();
            ember.addListener(maps);
            PairDataset<Long, Long> sums = ember.range(0, 4_000, MAPS).mapToPair(i -> {
                if (i % 1_000 == 0) {
                    DynamicAllocationTest.park(1_000);   // at each partition's first record: long enough for the other job
                }
                return new Pair<>(i % 10, i);
            }).reduceByKey(Long::sum, 2);
            Map<Long, Long> expected = LongStream.range(0, 4_000).boxed()
                    .collect(Collectors.groupingBy(i -> i % 10, Collectors.summingLong(i -> i)));

            CompletableFuture<Map<Long, Long>> first = CompletableFuture.supplyAsync(sums::collectAsMap);
            Eventually.await(Duration.ofSeconds(30), () -> maps.count() > 0, "the first job's map stage started");
            CompletableFuture<Long> second = CompletableFuture.supplyAsync(sums::count);

            assertEquals(expected, first.get(60, TimeUnit.SECONDS));
            assertEquals(10L, second.get(60, TimeUnit.SECONDS));
            // the listeners hear events in order: once both jobs' ends are heard, so is every task they launched
            Eventually.await(Duration.ofSeconds(10), () -> Long.valueOf(2).equals(ember.metrics().get("jobs.succeeded")),
                    () -> "both jobs' ends heard: " + ember.metrics());
            assertEquals(MAPS, maps.count(), "each map partition ran once, for both jobs");
        }
    }
}
