package io.ember.core.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** What a library logs through java.util.logging reaches the process's logback configuration. */
final class JulBridgeTest {

    private static final String NAME = "io.ember.test.jul";

    private final Logger logback = (Logger) LoggerFactory.getLogger(NAME);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Handler[] rootHandlers;

    @BeforeEach
    void saveTheJdksHandlers() {
        rootHandlers = LogManager.getLogManager().getLogger("").getHandlers();
        logged.start();
        logback.addAppender(logged);
    }

    @AfterEach
    void restoreTheJdksHandlers() {
        logback.detachAppender(logged);
        SLF4JBridgeHandler.uninstall();
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : List.of(root.getHandlers())) {
            root.removeHandler(handler);
        }
        for (Handler handler : rootHandlers) {
            root.addHandler(handler);
        }
    }

    @Test
    void routesJavaUtilLoggingIntoSlf4jOnceAndOnly() {
        JulBridge.install();
        JulBridge.install();   // a second call changes nothing

        java.util.logging.Logger.getLogger(NAME).log(Level.WARNING, "from a library");

        assertEquals(1, logged.list.size(), "one record, through one bridge: " + logged.list);
        assertEquals("from a library", logged.list.get(0).getFormattedMessage());
        assertEquals(ch.qos.logback.classic.Level.WARN, logged.list.get(0).getLevel());
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertEquals(1, handlers.length, "the JDK's console handler is gone");
        assertTrue(handlers[0] instanceof SLF4JBridgeHandler);
    }
}
