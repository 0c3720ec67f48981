package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.EmberContext;
import io.ember.core.driver.RunningApplications;
import io.ember.core.testing.Eventually;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ember submit's stop, run as the shutdown hook runs it, on real {@code local[1]} applications of
 * a registry of the test's own (the JVM's signals and hooks are left alone: the distribution's
 * {@code SubmitSignalIT} sends real ones).
 */
final class ApplicationStopTest {

    private static final String MAIN_CLASS = "com.example.Report";

    @TempDir
    Path dir;

    private final RunningApplications applications = new RunningApplications();
    private final StringWriter err = new StringWriter();
    private final List<EmberContext> contexts = new ArrayList<>();
    private final List<Thread> mains = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void cleanUp() throws InterruptedException {
        release.countDown();
        contexts.forEach(EmberContext::close);
        for (Thread main : mains) {
            main.join();
        }
    }

    @Test
    void afterASignalSaysSoInOneLineStopsTheApplicationAndWaitsForTheMainMethodsCleanUp() throws Exception {
        EmberContext ember = start("report");
        ApplicationStop stop = stop(Duration.ofSeconds(30));
        Path sample = Files.writeString(dir.resolve("sample.txt"), "generated input");
        runMain(stop, () -> {
            try {
                while (true) {
                    ember.range(0, 1_000).count();   // until the stop fails the job or refuses the next
                }
            } finally {
                Files.delete(sample);
            }
        });

        stop.signalled("SIGINT");
        stop.run();

        assertEquals(List.of("ember submit: interrupted (SIGINT): stopping application " + ember.applicationId()
                + " (tasks stopped, temporary files removed)"), lines());
        assertFalse(Files.exists(sample), "the main method's finally block ran before the stop returned");
        assertThrows(IllegalStateException.class, () -> ember.range(0, 1));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start("late"));
        assertEquals("no application starts in this process any more: ember submit was interrupted (SIGINT)",
                refused.getMessage());
    }

    @Test
    void namesTheMainClassWhenNoApplicationRunsYet() throws Exception {
        ApplicationStop stop = stop(Duration.ofSeconds(30));
        runMain(stop, () -> Eventually.await(stop::stopping, "the stop begins"));   // returns when stopped, as main does

        stop.signalled("SIGTERM");
        stop.run();

        assertEquals(List.of("ember submit: terminated (SIGTERM): stopping " + MAIN_CLASS
                + ", which runs no application yet (temporary files removed)"), lines());
    }

    @Test
    void withoutASignalStopsTheApplicationsButDoesNotWaitForTheMainMethod() throws Exception {
        EmberContext ember = start("report");
        ApplicationStop stop = stop(Duration.ofMinutes(10));
        runMain(stop, release::await);   // as a main thread that called System.exit waits for the hooks

        stop.run();

        assertEquals(List.of("ember submit: the JVM is exiting: stopping application " + ember.applicationId()
                + " (tasks stopped, temporary files removed)"), lines());
        assertEquals(List.of(), applications.applicationIds());
    }

    @Test
    void withoutASignalOrARunningApplicationIsAnOrdinaryExit() {
        ApplicationStop stop = stop(Duration.ofMinutes(10));

        stop.run();

        assertEquals(List.of(), lines());
    }

    @Test
    void givesUpAtTheTimeoutAndSaysSo() throws Exception {
        start("report");
        ApplicationStop stop = stop(Duration.ofMillis(200));
        runMain(stop, release::await);   // a main method that ignores the stop

        stop.signalled("SIGINT");
        stop.run();

        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("ember submit: the application did not end within 200ms (ember.driver.stopTimeout); exiting "
                + "anyway", lines.get(1));
    }

    @Test
    void doesNothingOnceTheMainMethodHasReturned() throws Exception {
        EmberContext ember = start("report");
        ApplicationStop stop = stop(Duration.ofSeconds(30));
        assertFalse(stop.mainReturned(), "nothing was stopping");

        stop.signalled("SIGINT");
        stop.run();

        assertEquals(List.of(), lines());
        assertEquals(List.of(ember.applicationId()), applications.applicationIds());
        assertFalse(stop.stopping());
    }

    @Test
    void tellsTheMainThreadThatTheStopIsUnderWay() throws Exception {
        ApplicationStop stop = stop(Duration.ofMillis(100));
        stop.signalled("SIGINT");
        Thread hook = new Thread(stop);
        hook.start();
        Eventually.await(stop::stopping, "the stop begins");

        assertTrue(stop.mainReturned(), "the main method's failure is the stop's doing: not reported");
        hook.join();
    }

    @Test
    void aSecondSignalIsOneLine() {
        ApplicationStop stop = stop(Duration.ofSeconds(30));

        stop.forced("SIGINT", 130);

        assertEquals(List.of("ember submit: second SIGINT: exiting now (code 130) without finishing the clean-up; the "
                + "executors end with this process, and the next local cluster started removes this one's directory"),
                lines());
    }

    private ApplicationStop stop(Duration timeout) {
        return new ApplicationStop(applications, new PrintWriter(err, true), timeout, MAIN_CLASS);
    }

    private EmberContext start(String name) {
        EmberContext context = EmberContext.builder().isolated().master("local[1]").appName(name)
                .applications(applications).build();
        contexts.add(context);
        return context;
    }

    /** Runs {@code body} as ember submit runs an application's main method: then tells the stop it returned. */
    private void runMain(ApplicationStop stop, MainBody body) {
        Thread main = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                // as the application's failure: ember submit reports it, or not
            } finally {
                stop.mainReturned();
            }
        }, "application-main");
        mains.add(main);
        main.start();
    }

    private List<String> lines() {
        return err.toString().lines().toList();
    }

    @FunctionalInterface
    private interface MainBody {
        void run() throws Exception;
    }
}
