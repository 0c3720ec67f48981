package io.ember.core.dataset;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.job.JobFailedException;
import io.ember.core.task.TaskNotRetryableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SaveAsTextFileTest {

    /** Failures injected into the first attempt of a task; everything runs in-process. */
    private static final AtomicInteger FAILURES = new AtomicInteger();

    private final InProcessJobRunner runner = new InProcessJobRunner();

    @TempDir
    Path directory;

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> partLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : fileNames(dir)) {
            if (name.startsWith("part-")) {
                lines.addAll(Files.readAllLines(dir.resolve(name), UTF_8));
            }
        }
        return lines;
    }

    @Test
    void writesOnePartFilePerPartitionThenSuccess() throws IOException {
        Path out = directory.resolve("out");
        List<Object> records = new ArrayList<>(List.of(1, "zwei", "drei 三", 4.5));
        records.add(null);

        Sources.parallelize(runner, records, 3).saveAsTextFile(out.toString());

        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"), fileNames(out));
        assertEquals(0, Files.size(out.resolve("_SUCCESS")));
        assertEquals(List.of("1", "zwei", "drei 三", "4.5", "null"), partLines(out));
        assertEquals("1\n", Files.readString(out.resolve("part-00000"), UTF_8));
    }

    @Test
    void whatIsSavedReadsBackAsTheSameLines() {
        Path out = directory.resolve("round-trip");
        Dataset<String> lines = Sources.range(runner, 0, 500, 7).map(x -> "line " + x);

        lines.saveAsTextFile(out.toString());

        assertEquals(lines.collect(), Sources.textFile(runner, out.toString(), 3).collect());
    }

    @Test
    void anExistingPathIsRefusedBeforeAnyJobRuns() throws IOException {
        Path out = Files.createDirectory(directory.resolve("taken"));
        Dataset<Integer> numbers = Sources.parallelize(runner, List.of(1, 2), 2);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> numbers.saveAsTextFile(out.toString()));

        assertTrue(failure.getMessage().contains("output directory " + out), failure.getMessage());
        assertTrue(failure.getMessage().contains("already exists"), failure.getMessage());
        assertTrue(runner.jobs().isEmpty());
        assertEquals(List.of(), fileNames(out));
    }

    @Test
    void aRetriedPartitionIsWrittenOnce() throws IOException {
        FAILURES.set(0);
        runner.maxAttempts(2);
        Path out = directory.resolve("retried");
        Dataset<Integer> flaky = Sources.parallelize(runner, IntStream.range(0, 30).boxed().toList(), 3).map(x -> {
            if (x == 15 && FAILURES.getAndIncrement() == 0) {
                throw new IOException("lost the disk after writing some lines");
            }
            return x;
        });

        flaky.saveAsTextFile(out.toString());

        assertEquals(2, FAILURES.get(), "the partition with 15 ran twice");
        assertEquals(IntStream.range(0, 30).mapToObj(String::valueOf).toList(), partLines(out));
        assertFalse(Files.exists(out.resolve("_temporary")));
    }

    @Test
    void anExecutorThatDoesNotSeeTheDriversDirectoryWritesNothingAndSaysItCannotBeRetried() {
        Path unseen = directory.resolve("made-by-a-driver-elsewhere");
        TextFileOutput output = new TextFileOutput(unseen.toString(), "the driver's token");

        TaskNotRetryableException e = assertThrows(TaskNotRetryableException.class,
                () -> output.writePartition(List.of("a", "b").iterator(),
                        new TestingTaskContext(7, 0, 0, 0, "executor-1", new CountingBlockStore())));

        assertEquals("saveAsTextFile: the output directory " + unseen + " that the driver created is not on this "
                + "executor's host; it must be on a file system every host shares", e.getMessage());
        assertFalse(Files.exists(unseen), "no part scattered on this host");
    }

    /**
     * A directory of the same name on the executor's own disk, left by an earlier run (another token)
     * or made by hand (no token), is not the driver's: nothing is written into it.
     */
    @Test
    void aSameNamedDirectoryWithoutTheDriversTokenIsRefused() throws IOException {
        Path out = directory.resolve("out");
        TextFileOutput earlierRun = TextFileOutput.prepare(out.toString());
        TextFileOutput thisRun = new TextFileOutput(earlierRun.directory(), "the token of this run's driver");
        Path token = out.resolve("_temporary").resolve("_token");

        TaskNotRetryableException another = assertThrows(TaskNotRetryableException.class,
                () -> thisRun.writePartition(List.of("a").iterator(),
                        new TestingTaskContext(7, 0, 0, 0, "executor-1", new CountingBlockStore())));
        Files.delete(token);
        TaskNotRetryableException none = assertThrows(TaskNotRetryableException.class,
                () -> thisRun.writePartition(List.of("a").iterator(),
                        new TestingTaskContext(8, 0, 0, 0, "executor-1", new CountingBlockStore())));

        assertEquals("saveAsTextFile: the output directory " + out + " on this executor's host is not the one the "
                + "driver created (" + token + " holds another token: a directory of that name on this host's own "
                + "disk?); it must be on a file system every host shares", another.getMessage());
        assertEquals("saveAsTextFile: the output directory " + out + " on this executor's host is not the one the "
                + "driver created (" + token + " is missing: a directory of that name on this host's own disk?); it "
                + "must be on a file system every host shares", none.getMessage());
        assertEquals(List.of("_temporary"), fileNames(out), "no part written");
        assertEquals(List.of(), fileNames(out.resolve("_temporary")), "no attempt file either");
    }

    @Test
    void theDriverLeavesARandomTokenForEachOutput() throws IOException {
        TextFileOutput one = TextFileOutput.prepare(directory.resolve("one").toString());
        TextFileOutput two = TextFileOutput.prepare(directory.resolve("two").toString());

        assertEquals(one.token(), Files.readString(directory.resolve("one/_temporary/_token"), UTF_8));
        assertFalse(one.token().equals(two.token()), one.token());
    }

    @Test
    void aDuplicateAttemptReplacesThePartWithTheSameContent() throws IOException {
        runner.rerunEachTask(true);
        Path out = directory.resolve("duplicated");

        Sources.range(runner, 0, 20, 4).saveAsTextFile(out.toString());

        assertEquals(IntStream.range(0, 20).mapToObj(String::valueOf).toList(), partLines(out));
        assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002", "part-00003"), fileNames(out));
    }

    @Test
    void aFailedJobLeavesNoSuccessMarkerNorTemporaryFiles() {
        Path out = directory.resolve("failed");
        Dataset<Integer> failing = Sources.parallelize(runner, List.of(1, 2, 3), 3).map(x -> {
            if (x == 3) {
                throw new IOException("no");
            }
            return x;
        });

        assertThrows(JobFailedException.class, () -> failing.saveAsTextFile(out.toString()));

        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_temporary")));
    }
}
