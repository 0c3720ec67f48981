package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19 item 5 on {@code local-cluster[2,1]} (real executor processes, each worker's shuffle
 * service): a dataset the driver dropped has its shuffle's files deleted from every executor's
 * directories at the shuffle service after a garbage collection and the cleaner's pass; a shuffle
 * still referenced keeps its files and is read again without its map stage running again.
 */
@Timeout(180)
final class ShuffleCleanupTest {

    @TempDir
    Path dir;

    @Test
    void aDroppedDatasetsShuffleFilesGoFromEveryExecutorAndAReferencedOneStays() {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "shuffle-cleanup").build()) {
            PairDataset<Long, Long> dropped = sums(ember, 7);
            assertEquals(List.of(new Pair<>(0L, expected(7))), dropped.dataset().filter(p -> p.key() == 0).collect());
            String appId = ember.applicationId();
            Set<Path> droppedFiles = shuffleDirs(appId);
            assertFalse(droppedFiles.isEmpty(), "the first job wrote shuffle files of " + appId);

            PairDataset<Long, Long> kept = sums(ember, 11);
            assertEquals(List.of(new Pair<>(0L, expected(11))), kept.dataset().filter(p -> p.key() == 0).collect());
            Set<Path> keptFiles = new HashSet<>(shuffleDirs(appId));
            keptFiles.removeAll(droppedFiles);
            assertFalse(keptFiles.isEmpty(), "the second job wrote shuffle files of its own");
            assertTrue(droppedFiles.stream().map(Path::getParent).distinct().count() >= 2,
                    "both executors wrote output of the first shuffle: " + droppedFiles);

            dropped = null;
            awaitGone(ember, droppedFiles);

            assertTrue(keptFiles.stream().allMatch(Files::exists), "the referenced shuffle's files stay: " + keptFiles);
            long stagesBefore = ember.lastJobSummary().orElseThrow().stages();
            assertEquals(List.of(new Pair<>(1L, expected(11) + 11 * 100)),
                    kept.dataset().filter(p -> p.key() == 1).collect(), "read again, exact");
            assertEquals(1, ember.lastJobSummary().orElseThrow().stages(),
                    "its map stage did not run again (stages before: " + stagesBefore + ")");
        }
    }

    /**
     * Under dynamic allocation one of the two executors is released once idle, so one worker's host
     * runs no executor of the application; its shuffle service still holds that executor's output of
     * the shuffle. Dropped by the driver, the shuffle's files go from both services: the remaining
     * executor asks the other host's service too.
     */
    @Test
    void aHostWhoseExecutorWasReleasedHasTheDroppedShufflesFilesDeletedToo() {
        try (EmberContext ember = LocalApplications.builder(dir, "local-cluster[2,1]", "shuffle-cleanup-released")
                .set("ember.allocation", "dynamic")
                .set("ember.allocation.dynamic.minExecutors", "1")
                .set("ember.allocation.dynamic.initialExecutors", "2")
                .set("ember.allocation.dynamic.maxExecutors", "2")
                .set("ember.allocation.dynamic.executorIdleTimeout", "1s")
                .build()) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            PairDataset<Long, Long> dropped = sums(ember, 3);
            assertEquals(List.of(new Pair<>(0L, expected(3))), dropped.dataset().filter(p -> p.key() == 0).collect());
            String appId = ember.applicationId();
            Set<Path> droppedFiles = shuffleDirs(appId);
            assertTrue(droppedFiles.stream().map(Path::getParent).distinct().count() >= 2,
                    "both executors wrote output of the shuffle: " + droppedFiles);
            Eventually.await(Duration.ofSeconds(60), () -> ember.executors().size() == 1,
                    () -> "one idle executor released: " + ember.executors());

            dropped = null;
            awaitGone(ember, droppedFiles);
        }
    }

    /** Collects garbage until the cleaner cleaned a shuffle and every one of {@code files} is gone. */
    private static void awaitGone(EmberContext ember, Set<Path> files) {
        Eventually.await(Duration.ofSeconds(60), () -> {
            System.gc();
            return ember.shufflesCleaned() >= 1 && files.stream().noneMatch(Files::exists);
        }, () -> "the dropped shuffle's files still there: " + files.stream().filter(Files::exists).toList()
                + "; shuffles cleaned: " + ember.shufflesCleaned());
    }

    /** Σ of i over 0..99,999 by key i % 1,000, each value multiplied by {@code factor}. */
    private static PairDataset<Long, Long> sums(EmberContext ember, long factor) {
        return ember.range(0, 100_000, 4).mapToPair(i -> new Pair<>(i % 1_000, i * factor))
                .reduceByKey(Long::sum, 4);
    }

    /** The sum for key 0: Σ of 1,000 × k for k in 0..99, times the factor. */
    private static long expected(long factor) {
        return factor * 1_000 * (99 * 100 / 2);
    }

    /**
     * Every shuffle-N directory of the application: its executors' output at the workers' shuffle
     * services, in this process's local cluster directories under {@code java.io.tmpdir}.
     */
    private static Set<Path> shuffleDirs(String appId) {
        Set<Path> found = new HashSet<>();
        try (Stream<Path> clusters = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path cluster : clusters.filter(p -> p.getFileName().toString().startsWith("ember-local-cluster-"))
                    .toList()) {
                try (Stream<Path> files = Files.walk(cluster)) {
                    files.filter(p -> p.getFileName().toString().startsWith("shuffle-")
                                    && p.toString().contains("/" + appId + "/") && Files.isDirectory(p))
                            .forEach(found::add);
                } catch (IOException | UncheckedIOException e) {
                    // another cluster's directory, going away as it is walked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
