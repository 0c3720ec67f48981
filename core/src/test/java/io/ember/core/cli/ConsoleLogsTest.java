package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ember submit's log lines sent to a file, WARN and ERROR kept on the console, and everything put back. */
final class ConsoleLogsTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.ember.test.ConsoleLogs");

    @TempDir
    Path dir;

    @Test
    void everyLineGoesToTheFileOnlyWarningsStayOnTheConsoleAndClosingPutsItBack() throws Exception {
        ConsoleAppender<ILoggingEvent> console = rootConsole();
        assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(Level.INFO)), "INFO shown before");

        Path file;
        try (ConsoleLogs.Diversion diversion = ConsoleLogs.toFile(dir.resolve("logs"), "submit-Test")) {
            file = diversion.file();
            assertEquals(dir.resolve("logs"), file.getParent());
            assertTrue(file.getFileName().toString().matches("submit-Test-\\d{8}-\\d{6}-\\d+\\.log"), file.toString());
            LOG.info("an INFO line for the file");
            LOG.warn("a WARN line for both");

            String written = Files.readString(file);
            assertTrue(written.contains(" INFO  [") && written.contains("an INFO line for the file"), written);
            assertTrue(written.contains(" WARN  [") && written.contains("a WARN line for both"), written);
            assertEquals(FilterReply.DENY, console.getFilterChainDecision(event(Level.INFO)), "INFO kept off the console");
            assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(Level.WARN)), "WARN still shown");
        }

        LOG.info("a line after the diversion");
        assertFalse(Files.readString(file).contains("a line after the diversion"), "the file is no longer written");
        assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(Level.INFO)), "INFO shown again");
    }

    private static ConsoleAppender<ILoggingEvent> rootConsole() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
                it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                return console;
            }
        }
        throw new AssertionError("the tests' logback-test.xml has a console appender on the root");
    }

    private static ILoggingEvent event(Level level) {
        LoggingEvent event = new LoggingEvent();
        event.setLevel(level);
        event.setMessage("m");
        event.setLoggerName("x");
        return event;
    }
}
