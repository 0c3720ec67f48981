package io.ember.core.driver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.dataset.Dataset;
import io.ember.core.files.FileTrees;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.task.TaskNotRetryableException;
import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code saveAsTextFile} on {@code local-cluster[2,1]} (executors as processes, their failures over
 * the real wire) when an executor does not see the directory the driver created: the job fails on
 * its first attempt, with one line naming the directory and the executor's host, where
 * {@code ember.task.maxFailures} (4) would otherwise retry it. The executors here share this
 * host's disk, so the task itself first changes what it sees as a host without the directory (or
 * with a same-named one of its own) would: it deletes {@code _temporary}, or replaces the driver's
 * token. The multi-host suite's {@code ClusterTopologyIT} does it with hosts that really do not
 * share the directory.
 */
@Timeout(180)
final class UnsharedOutputTest {

    @TempDir
    static Path dir;

    private static EmberContext ember;
    private static final List<Object> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        ember = LocalApplications.builder(dir, "local-cluster[2,1]", "unshared-output")
                .set("ember.executor.memory", "128m")
                .build();
        ember.awaitExecutors(2, Duration.ofSeconds(60));
        ember.addListener(new SchedulerListener() {
            @Override
            public void onJobStart(JobStart event) {
                EVENTS.add(event);
            }

            @Override
            public void onTaskStart(TaskStart event) {
                EVENTS.add(event);
            }

            @Override
            public void onTaskEnd(TaskEnd event) {
                EVENTS.add(event);
            }

            @Override
            public void onJobEnd(JobEnd event) {
                EVENTS.add(event);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (ember != null) {
            ember.close();
        }
    }

    /** Three lines in one partition; before writing, the task deletes {@code out/_temporary} where it runs. */
    private static Dataset<String> onAHostWithout(Path out) {
        String temporary = out.resolve("_temporary").toString();
        return ember.parallelize(List.of("a", "b", "c"), 1).mapPartitions(records -> {
            FileTrees.deleteRecursively(Path.of(temporary));
            return records;
        });
    }

    /** As {@link #onAHostWithout}, but the task finds a same-named directory whose token is not the driver's. */
    private static Dataset<String> onAHostWithItsOwn(Path out) {
        String token = out.resolve("_temporary").resolve("_token").toString();
        return ember.parallelize(List.of("a", "b", "c"), 1).mapPartitions(records -> {
            Files.writeString(Path.of(token), "left by an earlier run", UTF_8);
            return records;
        });
    }

    /**
     * The task starts (added to {@code starts}) and ends of the job that failed with {@code failure}
     * ("Job N (...) failed: ..."), once its end has been heard.
     */
    private static List<SchedulerListener.TaskEnd> tasksOf(JobFailedException failure,
                                                           List<SchedulerListener.TaskStart> starts) {
        String message = failure.getMessage();
        JobId job = new JobId(Integer.parseInt(message.substring("Job ".length(), message.indexOf(' ', 4))));
        Eventually.await(Duration.ofSeconds(10), () -> EVENTS.stream()
                .anyMatch(e -> e instanceof SchedulerListener.JobEnd end && end.jobId().equals(job)),
                "the end of " + job + " is heard");
        // A failed attempt's end is posted before its job's: everything of the job has arrived.
        List<SchedulerListener.TaskEnd> ends = new ArrayList<>();
        for (Object event : EVENTS) {
            if (event instanceof SchedulerListener.TaskStart start && start.jobId().equals(job)) {
                starts.add(start);
            } else if (event instanceof SchedulerListener.TaskEnd end && end.jobId().equals(job)) {
                ends.add(end);
            }
        }
        return ends;
    }

    private static String hostOf(String executorId) {
        Map<String, String> hosts = ember.executors().stream()
                .collect(Collectors.toMap(ExecutorInfo::executorId, ExecutorInfo::host));
        return hosts.get(executorId);
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anOutputDirectoryTheExecutorsHostDoesNotSeeFailsTheJobOnItsFirstAttempt() throws IOException {
        Path out = dir.resolve("unseen");
        Dataset<String> lines = onAHostWithout(out);

        JobFailedException e = assertThrows(JobFailedException.class, () -> lines.saveAsTextFile(out.toString()));

        List<SchedulerListener.TaskStart> starts = new ArrayList<>();
        List<SchedulerListener.TaskEnd> ends = tasksOf(e, starts);
        assertEquals(1, starts.size(), "one attempt, no retry: " + EVENTS);
        assertEquals(List.of(SchedulerListener.Outcome.FAILED), ends.stream().map(SchedulerListener.TaskEnd::outcome)
                .toList());
        String executor = ends.get(0).executorId();
        assertEquals(e.getMessage().substring(0, e.getMessage().indexOf(" failed: ")) + " failed: the task of "
                + "partition 0 failed on executor " + executor + " (host " + hostOf(executor) + ") in a way running it "
                + "again cannot cure, so it was not retried: saveAsTextFile: the output directory " + out + " that the "
                + "driver created is not on this executor's host; it must be on a file system every host shares",
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertInstanceOf(TaskNotRetryableException.class, e.getCause());
        assertEquals(List.of(), fileNames(out), "no part, no _SUCCESS");
    }

    @Test
    void aSameNamedDirectoryWithoutTheDriversTokenIsRefused() throws IOException {
        Path out = dir.resolve("same-name");
        Dataset<String> lines = onAHostWithItsOwn(out);

        JobFailedException e = assertThrows(JobFailedException.class, () -> lines.saveAsTextFile(out.toString()));

        List<SchedulerListener.TaskStart> starts = new ArrayList<>();
        List<SchedulerListener.TaskEnd> ends = tasksOf(e, starts);
        assertEquals(1, starts.size(), "one attempt, no retry: " + EVENTS);
        assertEquals(1, ends.size());
        String executor = ends.get(0).executorId();
        assertEquals(e.getMessage().substring(0, e.getMessage().indexOf(" failed: ")) + " failed: the task of "
                + "partition 0 failed on executor " + executor + " (host " + hostOf(executor) + ") in a way running it "
                + "again cannot cure, so it was not retried: saveAsTextFile: the output directory " + out + " on this "
                + "executor's host is not the one the driver created (" + out.resolve("_temporary").resolve("_token")
                + " holds another token: a directory of that name on this host's own disk?); it must be on a file "
                + "system every host shares", e.getMessage());
        assertEquals(List.of(), fileNames(out), "no part, no _SUCCESS");
    }

    @Test
    void aSharedDirectoryIsCommittedWithExactlyItsParts() throws IOException {
        Path out = dir.resolve("shared");
        List<String> records = IntStream.range(0, 100).mapToObj(i -> "line " + i).toList();

        ember.parallelize(records, 4).saveAsTextFile(out.toString());

        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002", "part-00003"), fileNames(out));
        List<String> written = new ArrayList<>();
        for (int part = 0; part < 4; part++) {
            written.addAll(Files.readAllLines(out.resolve(String.format("part-%05d", part)), UTF_8));
        }
        assertEquals(records, written);
        assertEquals(0, Files.size(out.resolve("_SUCCESS")));
    }
}
