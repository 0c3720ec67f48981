package io.ember.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps this JVM's log lines off the console while a tool runs whose output is its answer
 * ({@code ember status}): a ZooKeeper client connecting, or failing to, would otherwise add its own
 * lines to the one the tool prints. Adds a filter that lets nothing through to each console appender
 * of the root logger; {@link #close()} takes it away. Does nothing when the JVM does not log
 * through Logback.
 */
final class QuietConsole implements AutoCloseable {

    private final Map<ConsoleAppender<ILoggingEvent>, List<Filter<ILoggingEvent>>> consoles;

    private QuietConsole(Map<ConsoleAppender<ILoggingEvent>, List<Filter<ILoggingEvent>>> consoles) {
        this.consoles = consoles;
    }

    /** Silences the console appenders until {@link #close()}. */
    static QuietConsole silence() {
        Map<ConsoleAppender<ILoggingEvent>, List<Filter<ILoggingEvent>>> consoles = new LinkedHashMap<>();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return new QuietConsole(consoles);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                consoles.put(console, console.getCopyOfAttachedFiltersList());
            }
        }
        ThresholdFilter nothing = new ThresholdFilter();
        nothing.setLevel(Level.OFF.levelStr);
        nothing.start();
        consoles.keySet().forEach(console -> console.addFilter(nothing));
        return new QuietConsole(consoles);
    }

    @Override
    public void close() {
        consoles.forEach((console, filters) -> {
            console.clearAllFilters();
            filters.forEach(console::addFilter);
        });
    }
}
