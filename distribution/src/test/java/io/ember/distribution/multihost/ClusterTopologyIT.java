package io.ember.distribution.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite's topology (issue #17 item 5): 3 ZooKeeper servers, 2 masters, 3 workers with their
 * shuffle services and a driver, each on its own host. The README's WordCount and the
 * SalesByRegion join run on it, each with its exact result, their executors spread over the three
 * worker hosts.
 *
 * <p>Files on several hosts (issue #17 item 3): the workers do not share one directory with the
 * driver (each sees a tmpfs of its own there), and the LogLevels example is pointed at it: saving
 * its output there fails the job on its first task with one line naming the directory and a worker
 * host, and reading an input that only the driver sees fails the job naming the file and a worker
 * host.
 */
final class ClusterTopologyIT extends OnTheTopology {

    private static final Duration JOB = Duration.ofSeconds(240);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    /** In the scheduler's line when it fails a job for a task. */
    private static final String FAILED = ") failed: the task of partition ";
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    @Test
    void wordCountGivesTheReadmesAnswer() throws Exception {
        HostProcess submit = cluster().submit("wordcount", "io.ember.examples.WordCount");

        int exit = submit.awaitExit(JOB);

        String all = submit.describe() + "\n" + cluster().describe();
        assertEquals(0, exit, all);
        assertTrue(submit.stdout().contains("The 10 most frequent of 9,903 distinct words (6,775,812 words in all)"),
                all);
        assertTrue(submit.stdout().contains("      699064  ae\n"), all);
        assertTrue(submit.stdout().contains("Counted in ") && submit.stdout().contains(" on 3 executor(s)"),
                "one executor on each worker host\n" + all);
    }

    @Test
    void aJoinTotalsEachRegionExactly() throws Exception {
        int customers = 10_000;
        int orders = 1_000_000;
        HostProcess submit = cluster().submit("sales", "io.ember.examples.SalesByRegion", Integer.toString(customers),
                Integer.toString(orders));

        int exit = submit.awaitExit(JOB);

        String all = submit.describe() + "\n" + cluster().describe();
        assertEquals(0, exit, all);
        for (String line : SalesByRegionAnswer.lines(customers, orders)) {
            assertTrue(submit.stdout().contains(line + "\n"), "missing '" + line + "'\n" + all);
        }
    }

    /**
     * LogLevels reads a log every host sees, counts it (two jobs), then saves its ERROR lines into
     * a directory the workers do not share: that job fails on its first task, not retried, and the
     * driver says so in one line naming the directory and the worker host. Nothing is committed.
     */
    @Test
    void savingWhereTheWorkersDoNotSeeFailsAtTheJobsStartWithOneLine() throws Exception {
        Path unshared = unshared();
        Path input = writeLog(run().directory().resolve("levels.log"), 3_000);
        Path output = unshared.resolve("errors");

        LocalTime submittedAt = LocalTime.now();
        long submitted = System.nanoTime();
        HostProcess submit = cluster().submit("save-unshared", "io.ember.examples.LogLevels", input.toString(),
                output.toString());
        int exit = submit.awaitExit(JOB);
        long exited = System.nanoTime();

        String all = submit.describe() + "\n" + cluster().describe();
        assertEquals(1, exit, all);
        assertTrue(submit.stdout().contains("Lines per level:"), "the jobs before the save ran\n" + all);
        Matcher failure = onlyLine(submit.stderr(), "ember submit: io.ember.examples.LogLevels failed: "
                + "JobFailedException: Job (\\d+) \\(saveAsTextFile at LogLevels.java:\\d+\\) failed: the task of "
                + "partition \\d+ failed on executor \\S+ \\(host (\\S+)\\) in a way running it again cannot cure, so it "
                + "was not retried: saveAsTextFile: the output directory " + Pattern.quote(output.toString())
                + " that the driver created is not on this executor's host; it must be on a file system every host "
                + "shares", all);
        assertTrue(workerAddresses().contains(failure.group(2)), failure.group(2) + " is a worker host\n" + all);
        String job = "(job " + failure.group(1) + ")";
        List<String> failedAttempts = submit.stderr().lines()
                .filter(line -> line.contains(job + " failed on executor")).toList();
        assertEquals(1, failedAttempts.size(), "one failed attempt, no retry\n" + all);
        assertTrue(failedAttempts.get(0).contains(", attempt 0) of "), failedAttempts.get(0));
        try (Stream<Path> left = Files.list(output)) {
            assertEquals(List.of(), left.toList(), "no part and no _SUCCESS in the driver's directory");
        }
        String log = submit.stderr();
        LocalTime failedAt = timeOf(log, "Job " + failure.group(1) + " (saveAsTextFile", FAILED);
        System.out.printf("saveAsTextFile where the workers do not see: from submit to the job's failure %d ms, of "
                + "which the save job itself %d ms (after the two jobs before it); submit to exit %d ms; the driver "
                + "said:%n  %s%n", Duration.between(submittedAt, failedAt).toMillis(),
                Duration.between(timeOf(log, "Finished job " + (Integer.parseInt(failure.group(1)) - 1) + " ("),
                        failedAt).toMillis(), (exited - submitted) / 1_000_000, failure.group());
    }

    /** An input only the driver's host has: the job fails with one line naming the file and a worker host. */
    @Test
    void readingAFileOnlyTheDriverSeesFailsTheJobNamingTheFileAndAWorkerHost() throws Exception {
        Path input = writeLog(unshared().resolve("only-on-the-driver.log"), 3_000);

        LocalTime submittedAt = LocalTime.now();
        long submitted = System.nanoTime();
        HostProcess submit = cluster().submit("read-unshared", "io.ember.examples.LogLevels", input.toString());
        int exit = submit.awaitExit(JOB);
        long exited = System.nanoTime();

        String all = submit.describe() + "\n" + cluster().describe();
        assertEquals(1, exit, all);
        Matcher failure = onlyLine(submit.stderr(), "ember submit: io.ember.examples.LogLevels failed: "
                + "JobFailedException: Job (\\d+) \\(count at LogLevels.java:\\d+\\) failed: the task of partition \\d+ "
                + "failed 4 time\\(s\\) \\(ember.task.maxFailures=4\\), last on executor \\S+ \\(host (\\S+)\\): "
                + "java.io.UncheckedIOException: java.io.IOException: cannot read input file "
                + Pattern.quote(input.toString()) + " on this executor's host \\(no such file\\); textFile reads the "
                + "same path on every executor's host, so the file must be there on each \\(a shared file system\\)", all);
        assertTrue(workerAddresses().contains(failure.group(2)), failure.group(2) + " is a worker host\n" + all);
        String log = submit.stderr();
        LocalTime failedAt = timeOf(log, "Job " + failure.group(1) + " (count", FAILED);
        System.out.printf("textFile of a file only the driver sees: from submit to the job's failure %d ms, of which "
                + "%d ms from its first failed attempt (the retries); submit to exit %d ms; the driver said:%n  %s%n",
                Duration.between(submittedAt, failedAt).toMillis(),
                Duration.between(timeOf(log, "(job " + failure.group(1) + ") failed on executor"), failedAt).toMillis(),
                (exited - submitted) / 1_000_000, failure.group());
    }

    /** {@code lines} lines of a log, every tenth at ERROR, the rest at INFO. */
    private static Path writeLog(Path file, int lines) throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            log.append("2026-12-06 12:00:00 ").append(i % 10 == 0 ? "ERROR" : "INFO").append(" request ").append(i)
                    .append('\n');
        }
        return Files.writeString(file, log);
    }

    private static List<String> workerAddresses() {
        return cluster().workers().stream().map(worker -> worker.host().address()).toList();
    }

    /** The one line of {@code output} that matches {@code regex} whole, matched; fails unless there is exactly one. */
    private static Matcher onlyLine(String output, String regex, String all) {
        Pattern pattern = Pattern.compile(regex);
        List<Matcher> matches = output.lines().map(pattern::matcher).filter(Matcher::matches).toList();
        assertEquals(1, matches.size(), "one line matching\n" + regex + "\n" + all);
        return matches.get(0);
    }

    /**
     * The time of the first line of the driver's log (one that starts with its time, by this
     * machine's clock, as {@link LocalTime#now()}) containing each of {@code texts}.
     */
    private static LocalTime timeOf(String log, String... texts) {
        String line = log.lines().filter(l -> LOG_LINE.matcher(l).lookingAt() && Stream.of(texts).allMatch(l::contains))
                .findFirst().orElseThrow(() -> new AssertionError("no log line with " + List.of(texts)
                        + " in the driver's output"));
        return LocalTime.parse(line.substring(0, "HH:mm:ss.SSS".length()), LOG_TIME);
    }

    /** The directory the workers do not share (each sees a tmpfs of its own there); skips where none could be made. */
    private static Path unshared() {
        Optional<Path> unshared = run().unshared();
        assumeTrue(unshared.isPresent(), "no unshare or mount (util-linux) to give the workers a directory of their own");
        return unshared.get();
    }
}
