package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Dataset;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on the two local modes: {@code local-cluster[2,1]} (an embedded ZooKeeper, a master, two
 * workers, executors as real processes) and {@code local[2]} (tasks on two threads of this JVM) give
 * the same, exact results.
 */
@Timeout(180)
final class LocalModesJobsTest {

    private static final int TASKS = 1_000;

    @TempDir
    Path dir;

    private EmberContext start(String master) {
        return LocalApplications.builder(dir, master, "jobs")
                .set("ember.executor.memory", "128m")
                .build();
    }

    /** Sum over 0..n-1 of (i * i mod 7), computed plainly. */
    private static long expected(int n) {
        long sum = 0;
        for (long i = 0; i < n; i++) {
            sum += i * i % 7;
        }
        return sum;
    }

    @Test
    void aThousandTaskJobRunsOnBothExecutorProcessesAndMatchesLocalMode() {
        long clusterResult;
        Set<Long> pids;
        try (EmberContext ember = start("local-cluster[2,1]")) {
            ember.awaitExecutors(2, Duration.ofSeconds(60));
            Dataset<Long> squares = ember.range(0, TASKS * 10L, TASKS).map(i -> i * i % 7);

            clusterResult = squares.reduce(Long::sum);
            JobSummary summary = ember.lastJobSummary().orElseThrow();
            pids = new TreeSet<>(ember.range(0, TASKS, TASKS).map(i -> ProcessHandle.current().pid()).collect());

            assertEquals(TASKS, summary.tasks());
            assertEquals(2, summary.executors(), summary.toString());
        }
        assertEquals(expected(TASKS * 10), clusterResult);
        assertEquals(2, pids.size(), "tasks ran in two executor processes: " + pids);
        assertTrue(!pids.contains(ProcessHandle.current().pid()), "no task ran in the driver");

        try (EmberContext ember = start("local[2]")) {
            long localResult = ember.range(0, TASKS * 10L, TASKS).map(i -> i * i % 7).reduce(Long::sum);
            assertEquals(clusterResult, localResult);
            assertEquals(Set.of(ProcessHandle.current().pid()),
                    Set.copyOf(ember.range(0, 100, 10).map(i -> ProcessHandle.current().pid()).collect()));
        }
    }

    @Test
    void everyOperationAndActionWorksOnLocalMode() throws Exception {
        try (EmberContext ember = start("local[2]")) {
            Dataset<String> words = ember.parallelize(List.of("a b", "c", "", "d e f"), 3)
                    .flatMap(line -> List.of(line.split(" ")).iterator())
                    .filter(word -> !word.isEmpty());

            assertEquals(List.of("a", "b", "c", "d", "e", "f"), words.collect());
            assertEquals(6, words.count());
            assertEquals(List.of("a", "b"), words.take(2));
            assertEquals("A", words.map(String::toUpperCase).first());
            assertEquals(List.of(1, 1, 1, 1, 1, 1), words.keyBy(String::length).map(p -> p.key()).collect());
            assertEquals(List.of(3, 7, 11), ember.parallelize(List.of(1, 2, 3, 4, 5, 6), 3)
                    .mapPartitions(it -> {
                        int sum = 0;
                        while (it.hasNext()) {
                            sum += it.next();
                        }
                        return List.of(sum).iterator();
                    }).collect());
            Path out = dir.resolve("out");
            words.saveAsTextFile(out.toString());
            assertEquals(List.of("a", "b", "c", "d", "e", "f"), ember.textFile(out.toString(), 2).collect());
        }
    }

    @Test
    void aTaskThatAlwaysThrowsFailsTheJobWithItsOriginalMessageAndTheNextJobRuns() {
        try (EmberContext ember = EmberContext.builder().isolated().master("local[2]").set("ember.task.maxFailures", "3")
                .build()) {
            JobFailedException e = assertThrows(JobFailedException.class, () -> ember.range(0, 10, 5)
                    .map(i -> {
                        if (i == 7) {
                            throw new IllegalStateException("seven is not welcome");
                        }
                        return i;
                    }).collect());

            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("seven is not welcome", e.getCause().getMessage());
            assertTrue(e.getMessage().contains("failed 3 time(s)"), e.getMessage());
            assertEquals(45L, ember.range(0, 10, 5).reduce(Long::sum));
            assertEquals(5, ember.lastJobSummary().orElseThrow().tasks());
        }
    }
}
