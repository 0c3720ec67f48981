package io.ember.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class ThreadsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(Threads.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    @Test
    void aThreadThatDiesOfAnUncaughtFailureIsLoggedWithItsName() throws Exception {
        IllegalStateException bug = new IllegalStateException("a bug");
        Thread thread = Threads.startDaemon("ember-doomed", () -> {
            throw bug;
        });
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(thread.isAlive());
        assertEquals(1, logged.list.size());
        ILoggingEvent event = logged.list.get(0);
        assertEquals("Thread ember-doomed died of an unexpected failure", event.getFormattedMessage());
        assertSame(bug.getMessage(), event.getThrowableProxy().getMessage());
    }

    @Test
    void factoriesNameTheirThreadsAndMakeThemDaemons() {
        ThreadFactory single = Threads.daemon("ember-one");
        Thread first = single.newThread(() -> { });
        assertEquals("ember-one", first.getName());
        assertTrue(first.isDaemon());

        ThreadFactory numbered = Threads.numberedDaemons("ember-task-");
        assertEquals("ember-task-1", numbered.newThread(() -> { }).getName());
        assertEquals("ember-task-2", numbered.newThread(() -> { }).getName());

        Thread hook = Threads.newThread("ember-shutdown", () -> { }, false);
        assertFalse(hook.isDaemon());
        assertFalse(hook.getUncaughtExceptionHandler() == hook.getThreadGroup(), "a handler of its own");
    }
}
