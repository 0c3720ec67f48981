package io.ember.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of one executor-start run went, read back from the log lines of the steps (in
 * milliseconds after {@code build()} was called): the driver's application registration, and for
 * each executor the master's launch, the worker's process start, the executor's own start-up
 * (its {@code ExecutorBackend} created, a few milliseconds into {@code main()}) and the driver's
 * registration of its stream. A step whose line is missing is unknown, never guessed.
 *
 * <p>The lines are the INFO lines of the code measured, so a reworded message turns a step into
 * "?" here; the benchmark's result does not depend on them.
 */
record ExecutorStartTimeline(OptionalLong applicationRegistered, long built, List<Executor> executors, long returned,
                             long total) {

    /** The loggers whose lines this reads in the benchmark JVM. */
    static final String[] LOGGERS = {
        "io.ember.core.driver.client.ApplicationClient",
        "io.ember.core.master.Leadership",
        "io.ember.core.worker.ExecutorLauncher",
        "io.ember.core.driver.endpoint.DriverEndpoint",
    };

    // The phases phases() names, in order.
    static final String REGISTRATION = "build() -> application registered with the master";
    static final String PLACEMENT = "application registered -> master sends LaunchExecutor (per executor)";
    static final String FORK = "LaunchExecutor -> worker has started the process (per executor)";
    static final String JVM_BOOT = "process started -> executor main() running (per executor)";
    static final String CONNECT = "main() -> driver has registered the executor's stream (per executor)";
    static final String TAIL = "last executor registered -> awaitExecutors returns";
    static final List<String> PHASES = List.of(REGISTRATION, PLACEMENT, FORK, JVM_BOOT, CONNECT, TAIL);

    private static final Pattern APP_REGISTERED = Pattern.compile("^Application (\\S+) \\(.*\\) registered with master ");
    private static final Pattern LAUNCHING = Pattern.compile("^Launching executor (\\S+) of (\\S+) on worker ");
    private static final Pattern STARTED = Pattern.compile("^Started executor (\\S+) of application (\\S+) \\(pid (\\d+)");
    private static final Pattern REGISTERED = Pattern.compile("^Executor (\\S+) registered: worker ");
    /** The executor's own line, in its stderr: "<timestamp> INFO ... registered with its driver at H:P (N ms after start". */
    private static final Pattern EXECUTOR_LINE = Pattern.compile(
            "^(\\S+) +INFO .* Executor (\\S+) of application (\\S+) registered with its driver at \\S+ \\((\\d+) ms after start");

    /** One executor's steps, in milliseconds after {@code build()} was called. */
    record Executor(String executorId, OptionalLong launched, OptionalLong processStarted, OptionalLong mainEntered,
                    OptionalLong registered, OptionalLong pid) {

        String describe() {
            return "executor " + executorId + ": launch " + at(launched) + ", process " + at(processStarted)
                    + ", main() " + at(mainEntered) + ", registered " + at(registered);
        }
    }

    /**
     * Puts the timeline of a run together.
     *
     * @param startMillis when {@code build()} was called (epoch milliseconds)
     * @param builtMillis when it returned
     * @param returnedMillis when {@code awaitExecutors} returned
     * @param totalMillis the run's measured time (on the monotonic clock)
     * @param appId the application of the run
     * @param executorIds the executors that registered
     * @param lines the benchmark JVM's captured lines of the run
     * @param executorLogs each executor's log text, by executor id
     */
    static ExecutorStartTimeline of(long startMillis, long builtMillis, long returnedMillis, long totalMillis, String appId,
                                    List<String> executorIds, List<LogCapture.Line> lines,
                                    Map<String, String> executorLogs) {
        OptionalLong appRegistered = OptionalLong.empty();
        for (LogCapture.Line line : lines) {
            Matcher m = APP_REGISTERED.matcher(line.message());
            if (m.find() && m.group(1).equals(appId)) {
                appRegistered = OptionalLong.of(line.millis() - startMillis);
            }
        }
        List<Executor> executors = new ArrayList<>();
        for (String id : executorIds) {
            OptionalLong launched = OptionalLong.empty();
            OptionalLong started = OptionalLong.empty();
            OptionalLong pid = OptionalLong.empty();
            OptionalLong registered = OptionalLong.empty();
            for (LogCapture.Line line : lines) {
                Matcher launch = LAUNCHING.matcher(line.message());
                Matcher start = STARTED.matcher(line.message());
                Matcher register = REGISTERED.matcher(line.message());
                if (launch.find() && launch.group(1).equals(id) && launch.group(2).equals(appId)) {
                    launched = OptionalLong.of(line.millis() - startMillis);
                } else if (start.find() && start.group(1).equals(id) && start.group(2).equals(appId)) {
                    started = OptionalLong.of(line.millis() - startMillis);
                    pid = OptionalLong.of(Long.parseLong(start.group(3)));
                } else if (register.find() && register.group(1).equals(id)) {
                    registered = OptionalLong.of(line.millis() - startMillis);
                }
            }
            OptionalLong main = mainEntered(executorLogs.getOrDefault(id, ""), id, appId)
                    .map(millis -> OptionalLong.of(millis - startMillis)).orElse(OptionalLong.empty());
            executors.add(new Executor(id, launched, started, main, registered, pid));
        }
        return new ExecutorStartTimeline(appRegistered, builtMillis - startMillis, List.copyOf(executors),
                returnedMillis - startMillis, totalMillis);
    }

    /** Whether an executor's log already holds its registration line. */
    static boolean hasRegistrationLine(String log) {
        return log.lines().anyMatch(line -> EXECUTOR_LINE.matcher(line).find());
    }

    /** An executor's stderr, empty when it is not there (yet). */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** When the executor's backend was created: its log line's time minus the "ms after start" it reports. */
    private static Optional<Long> mainEntered(String log, String executorId, String appId) {
        for (String line : log.lines().toList()) {
            Matcher m = EXECUTOR_LINE.matcher(line);
            if (m.find() && m.group(2).equals(executorId) && m.group(3).equals(appId)) {
                try {
                    long logged = OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
                    return Optional.of(logged - Long.parseLong(m.group(4)));
                } catch (DateTimeParseException e) {
                    return Optional.empty();   // another log pattern
                }
            }
        }
        return Optional.empty();
    }

    /** The executors' process ids, as the worker logged them. */
    List<Long> pids() {
        return executors.stream().map(Executor::pid).filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).toList();
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%d ms | application registered %s, build() returned +%d",
                total, at(applicationRegistered), built));
        for (Executor executor : executors) {
            text.append(" | ").append(executor.describe());
        }
        return text.toString();
    }

    /** The named phases of this run, for the median breakdown; a phase with an unknown end is left out. */
    List<Phase> phases() {
        List<Phase> phases = new ArrayList<>();
        applicationRegistered.ifPresent(registered -> phases.add(new Phase(REGISTRATION, registered)));
        long lastRegistered = -1;
        for (Executor e : executors) {
            between(phases, PLACEMENT, applicationRegistered, e.launched());
            between(phases, FORK, e.launched(), e.processStarted());
            between(phases, JVM_BOOT, e.processStarted(), e.mainEntered());
            between(phases, CONNECT, e.mainEntered(), e.registered());
            if (e.registered().isPresent()) {
                lastRegistered = Math.max(lastRegistered, e.registered().getAsLong());
            }
        }
        if (lastRegistered >= 0 && executors.stream().allMatch(e -> e.registered().isPresent())) {
            phases.add(new Phase(TAIL, returned - lastRegistered));
        }
        return phases;
    }

    /** A phase of a run and how long it took. */
    record Phase(String name, long millis) {
    }

    private static void between(List<Phase> phases, String name, OptionalLong from, OptionalLong to) {
        if (from.isPresent() && to.isPresent()) {
            phases.add(new Phase(name, to.getAsLong() - from.getAsLong()));
        }
    }

    private static String at(OptionalLong millis) {
        return millis.isPresent() ? "+" + millis.getAsLong() : "?";
    }
}
