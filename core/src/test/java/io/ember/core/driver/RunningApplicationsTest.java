package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applications of a process, as ember submit's stop sees them: listed while they run, stopped on request. */
final class RunningApplicationsTest {

    @TempDir
    Path dir;

    private final RunningApplications applications = new RunningApplications();
    private final List<EmberContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(EmberContext::close);
    }

    @Test
    void listsAnApplicationFromItsStartToItsClose() {
        EmberContext first = start("first");
        EmberContext second = start("second");
        assertEquals(List.of(first.applicationId(), second.applicationId()), applications.applicationIds());

        first.close();

        assertEquals(List.of(second.applicationId()), applications.applicationIds());
    }

    @Test
    void stopClosesEveryRunningApplicationNewestFirst() {
        EmberContext first = start("first");
        EmberContext second = start("second");

        assertEquals(List.of(first, second), applications.refuseNew("the test stops them"));
        assertEquals(List.of(second.applicationId(), first.applicationId()), applications.stop());

        assertEquals(List.of(), applications.applicationIds());
        for (EmberContext context : List.of(first, second)) {
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> context.range(0, 1));
            assertEquals("this context (application " + context.applicationId() + ") is closed", closed.getMessage());
        }
    }

    @Test
    void noApplicationStartsOnceNewOnesAreRefused() {
        applications.refuseNew("ember submit was interrupted (SIGINT)");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start("late"));

        assertEquals("no application starts in this process any more: ember submit was interrupted (SIGINT)",
                refused.getMessage());
        assertEquals(List.of(), applications.applicationIds());
    }

    /** A watcher hears each start and each close once, and one that throws changes nothing for the application. */
    @Test
    void watchersHearEveryStartAndCloseAndOneThatThrowsHarmsNothing() {
        List<String> heard = new ArrayList<>();
        applications.watch(new RunningApplications.Watcher() {
            @Override
            public void started(EmberContext context) {
                throw new IllegalStateException("a broken watcher");
            }

            @Override
            public void ended(EmberContext context) {
                throw new IllegalStateException("a broken watcher");
            }
        });
        applications.watch(new RunningApplications.Watcher() {
            @Override
            public void started(EmberContext context) {
                heard.add("started " + context.applicationId());
            }

            @Override
            public void ended(EmberContext context) {
                heard.add("ended " + context.applicationId());
            }
        });

        EmberContext first = start("first");
        assertEquals(2L, first.range(0, 2, 1).count(), "it runs jobs");
        first.close();
        first.close();

        assertEquals(List.of("started " + first.applicationId(), "ended " + first.applicationId()), heard);
    }

    private EmberContext start(String name) {
        EmberContext context = LocalApplications.builder(dir, "local[1]", name).applications(applications).build();
        contexts.add(context);
        return context;
    }
}
