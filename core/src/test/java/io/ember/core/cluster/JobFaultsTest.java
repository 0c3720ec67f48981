package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.dataset.Dataset;
import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobSummary;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jobs survive what happens to clusters: an executor killed with -9 in the middle of a job, the
 * leader master killed while a job runs, a task that always fails, and a cached dataset whose holder
 * dies. Masters are processes, workers run in this JVM and start executors as processes.
 */
@Timeout(240)
final class JobFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Each test starts as many masters as it needs (see {@link #application}). */
    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.zooKeeperOnly();

    private Path marks;

    @BeforeEach
    void createTheMarksDirectory() throws IOException {
        marks = cluster.newDirectory("marks");
    }

    private EmberContext application(String name, int masters) throws IOException {
        return application(name, masters, Map.of());
    }

    private EmberContext application(String name, int masters, Map<String, String> extra) throws IOException {
        cluster.startMasters(masters);
        cluster.startWorker("worker-1", 1);
        cluster.startWorker("worker-2", 1);
        cluster.awaitLeaderAbove(0);
        Map<String, String> settings = new LinkedHashMap<>(cluster.applicationSettings(name, 2));
        settings.putAll(extra);
        EmberContext context = cluster.startApplication(settings);
        context.awaitExecutors(2, WAIT);
        return context;
    }

    /** A slow job over 0..tasks-1: each task marks that it started, takes ~20 ms, and yields 3 * i. */
    private static Dataset<Long> slowJob(EmberContext ember, int tasks, String marks) {
        return ember.range(0, tasks, tasks).map(i -> {
            mark(marks, "started-" + i);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));   // the task's "work"
            return 3 * i;
        });
    }

    private static void mark(String directory, String name) {
        try {
            Files.createFile(Path.of(directory, name + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long marks(String prefix) {
        try (Stream<Path> files = Files.list(marks)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the first file whose name starts so was written, in epoch milliseconds. */
    private long firstMark(String prefix) {
        try (Stream<Path> files = Files.list(marks)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).mapToLong(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).min().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executors the master launched for the application, by its log. */
    private static long launches(JavaProcesses.Started master, String appId) {
        return master.output().lines().filter(line -> line.contains("Launching executor ")
                && line.contains(" of " + appId + " on worker ")).count();
    }

    private static long expectedSlowSum(int tasks) {
        return 3L * tasks * (tasks - 1) / 2;
    }

    @Test
    void aJobFinishesExactlyWhenAnExecutorIsKilledInTheMiddleOfIt() throws Exception {
        EmberContext ember = application("executor-kill", 1);
        String appId = ember.applicationId();
        long victim = cluster.awaitRegisteredPids(appId, 2).values().iterator().next();

        CompletableFuture<Long> job = CompletableFuture.supplyAsync(
                () -> slowJob(ember, 300, marks.toString()).reduce(Long::sum));
        Eventually.await(WAIT, () -> marks("started-") >= 30, "the job is under way");
        JavaProcesses.kill(victim);

        assertEquals(expectedSlowSum(300), job.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        JobSummary summary = ember.lastJobSummary().orElseThrow();
        assertTrue(summary.attempts() >= 300, summary.toString());
        assertEquals(45L, ember.range(0, 10, 4).reduce(Long::sum), "the context runs the next job");
    }

    /**
     * kill -9 from outside (an operator, a machine problem) is not the application's doing: with
     * ember.task.maxFailures=1 a task it cut short that counted as failed would fail the job.
     */
    @Test
    void anExecutorKilledFromOutsideDoesNotCountAgainstTheTasksItRan() throws Exception {
        EmberContext ember = application("executor-kill-strict", 1, Map.of("ember.task.maxFailures", "1"));
        String appId = ember.applicationId();
        long victim = cluster.awaitRegisteredPids(appId, 2).values().iterator().next();

        CompletableFuture<Long> job = CompletableFuture.supplyAsync(
                () -> slowJob(ember, 300, marks.toString()).reduce(Long::sum));
        Eventually.await(WAIT, () -> marks("started-") >= 30, "the job is under way");
        JavaProcesses.kill(victim);

        assertEquals(expectedSlowSum(300), job.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        JavaProcesses.Started master = cluster.masterAt(cluster.awaitLeaderAbove(0).address());
        Eventually.await("the master heard the executor failed", () -> master.output().contains(" of " + appId
                + " on worker ") && master.output().contains("failed with exit code 137"));
    }

    /**
     * A task that brings its executor down (here with halt(3), as an executor out of heap exits with 3)
     * is run again elsewhere, and each executor it kills counts as one of its failures: the job fails
     * after ember.task.maxFailures, naming the task, the exit code and the executor's last line; the
     * master replaced each executor once, and launches no more.
     */
    @Test
    void aTaskThatKillsItsExecutorFailsTheJobAfterMaxFailuresNamingTheExitAndTheExecutorsLastLine() throws Exception {
        EmberContext ember = application("executor-killer", 1);
        String appId = ember.applicationId();
        String marks = this.marks.toString();
        JavaProcesses.Started master = cluster.masterAt(cluster.awaitLeaderAbove(0).address());

        JobFailedException e = assertThrows(JobFailedException.class, () -> ember.range(0, 8, 8).map(i -> {
            if (i == 5) {
                mark(marks, "attempt-5");
                System.err.println("poison: partition 5 brings its executor down");
                System.err.flush();
                Runtime.getRuntime().halt(3);
            }
            return i;
        }).collect());
        long failedAt = System.currentTimeMillis();

        String message = e.getMessage();
        assertTrue(message.contains("the task of partition 5 failed 4 time(s) (ember.task.maxFailures=4), last on "
                + "executor "), message);
        assertTrue(message.contains("exited with code 3 (worker worker-"), message);
        assertTrue(message.contains("; its stderr ends: poison: partition 5 brings its executor down) while it ran "
                + "the task"), message);
        assertEquals(4, marks("attempt-5"), "tried ember.task.maxFailures (4) times");
        assertEquals(28L, ember.range(0, 8, 8).reduce(Long::sum), "the next job succeeds");
        Eventually.await(WAIT, () -> ember.executors().size() == 2, "two executors again");
        assertEquals(6, launches(master, appId), "the two first executors and one replacement per executor killed");
        System.out.printf("A task that kills its executor: the job failed %d ms after the task's first attempt "
                + "brought its executor down; %d executor(s) launched in all%n", failedAt - firstMark("attempt-5"),
                launches(master, appId));
    }

    @Test
    void aJobFinishesWhenTheLeaderMasterIsKilledAndTheNextJobRuns() throws Exception {
        EmberContext ember = application("master-kill", 2);
        LeaderInfo leader = cluster.awaitLeaderAbove(0);

        CompletableFuture<Long> job = CompletableFuture.supplyAsync(
                () -> slowJob(ember, 200, marks.toString()).reduce(Long::sum));
        Eventually.await(WAIT, () -> marks("started-") >= 20, "the job is under way");
        cluster.masterAt(leader.address()).kill();

        assertEquals(expectedSlowSum(200), job.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        cluster.awaitLeaderAbove(leader.epoch());
        assertEquals(expectedSlowSum(50), slowJob(ember, 50, marks.toString()).reduce(Long::sum));
        assertEquals(2, ember.lastJobSummary().orElseThrow().executors());
    }

    @Test
    void aTaskThatAlwaysThrowsIsTriedMaxFailuresTimesThenTheJobFailsWithItsMessage() throws Exception {
        EmberContext ember = application("always-fails", 1);
        String marks = this.marks.toString();

        JobFailedException e = assertThrows(JobFailedException.class, () -> ember.range(0, 8, 8).map(i -> {
            if (i == 5) {
                mark(marks, "attempt-5");
                throw new IllegalArgumentException("partition five is broken");
            }
            return i;
        }).collect());

        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("partition five is broken", e.getCause().getMessage());
        assertEquals(4, marks("attempt-5"), "tried ember.task.maxFailures (4) times");
        assertEquals(28L, ember.range(0, 8, 8).reduce(Long::sum), "the next job succeeds");
    }

    @Test
    void aCachedDatasetIsReadFromMemoryAndStaysExactAfterItsHolderIsKilled() throws Exception {
        EmberContext ember = application("cache", 1);
        String appId = ember.applicationId();
        String marks = this.marks.toString();
        Dataset<Long> cached = ember.range(0, 2_000, 20).map(i -> {
            mark(marks, "computed-" + (i / 100));
            return i * 2;
        }).filter(i -> i % 3 != 0).cache();
        long expected = Stream.iterate(0L, i -> i + 1).limit(2_000).map(i -> i * 2).filter(i -> i % 3 != 0)
                .mapToLong(Long::longValue).sum();
        // one mark per record computed: 2000 for a full pass
        assertEquals(expected, cached.reduce(Long::sum));
        assertEquals(2_000, marks("computed-"));

        assertEquals(expected, cached.reduce(Long::sum));
        assertEquals(2_000, marks("computed-"), "the second action computed nothing again");
        JobSummary second = ember.lastJobSummary().orElseThrow();
        assertEquals(20, second.cacheHits(), second.toString());
        assertEquals(0, second.cacheMisses(), second.toString());

        long victim = cluster.registeredPids(appId).values().iterator().next();
        JavaProcesses.kill(victim);
        Eventually.await(WAIT, () -> !cluster.registeredPids(appId).containsValue(victim),
                "the killed executor left the registry");

        assertEquals(expected, cached.reduce(Long::sum));
        JobSummary third = ember.lastJobSummary().orElseThrow();
        assertTrue(third.cacheMisses() > 0 && third.cacheMisses() < 20, "only the lost partitions were computed "
                + "again: " + third);
        assertEquals(2_000 + 100 * third.cacheMisses(), marks("computed-"));
    }
}
