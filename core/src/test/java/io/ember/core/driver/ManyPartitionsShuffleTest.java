package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.core.dataset.Pair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One shuffle of 3,000 map and 3,000 reduce partitions on {@code local-cluster[2,1]}: 9,000,000 block
 * lengths, which once went inside the reduce stage's code (about 72 MB, over the 64 MiB a message may
 * carry, so the stage could not launch). Executors now fetch them from the driver once per stage, the
 * driver keeping them compact; the result is exact.
 */
@Timeout(300)
final class ManyPartitionsShuffleTest {

    private static final int PARTITIONS = 3_000;
    /** Values per key: each map partition holds 10 consecutive numbers, so 10 of its 3,000 blocks have bytes. */
    private static final int PER_KEY = 10;

    @TempDir
    Path dir;

    @Test
    void threeThousandMapAndThreeThousandReducePartitionsGiveTheExactResult() {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "many-partitions")
                .set("ember.executor.memory", "256m")
                .build()) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            long started = System.nanoTime();
            Map<Long, Long> sums = ember.range(0, (long) PARTITIONS * PER_KEY, PARTITIONS)
                    .mapToPair(i -> new Pair<>(i % PARTITIONS, i))
                    .reduceByKey(Long::sum, PARTITIONS)
                    .collectAsMap();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(PARTITIONS, sums.size());
            for (long key = 0; key < PARTITIONS; key++) {
                // key + 3,000 j for j = 0..9
                assertEquals(PER_KEY * key + (long) PARTITIONS * PER_KEY * (PER_KEY - 1) / 2, sums.get(key),
                        "the sum of key " + key);
            }
            System.out.printf("3,000 x 3,000 shuffle on local-cluster[2,1]: %,d tasks in %,d ms%n", 2 * PARTITIONS,
                    millis);
        }
    }
}
