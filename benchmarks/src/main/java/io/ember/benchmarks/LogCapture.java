package io.ember.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Records the INFO lines of a few loggers of this JVM, with their timestamps, so a workload can
 * tell when each step happened (the master launched an executor, the worker started its process,
 * the driver registered it) without changing the code it measures. The lines are kept, not
 * printed; warnings and errors still reach the console. {@link #close()} restores the loggers.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One log line: when (epoch milliseconds), from which logger, what it said. */
    record Line(long millis, String logger, String message) {
    }

    private record Saved(Logger logger, Level level, boolean additive) {
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final List<Saved> saved = new ArrayList<>();
    private final Logger root;

    private LogCapture(LoggerContext context) {
        setContext(context);
        setName("benchmark-capture");
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Starts recording the INFO lines of the named loggers (class names, usually). */
    static LogCapture of(String... loggerNames) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogCapture capture = new LogCapture(context);
        capture.start();
        for (String name : loggerNames) {
            Logger logger = context.getLogger(name);
            capture.saved.add(new Saved(logger, logger.getLevel(), logger.isAdditive()));
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            logger.addAppender(capture);
        }
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new Line(event.getTimeStamp(), event.getLoggerName(), event.getFormattedMessage()));
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            root.callAppenders(event);
        }
    }

    /** The lines recorded since the last {@link #clear()}, oldest first. */
    List<Line> lines() {
        return List.copyOf(lines);
    }

    void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        for (Saved s : saved) {
            s.logger().detachAppender(this);
            s.logger().setLevel(s.level());
            s.logger().setAdditive(s.additive());
        }
        stop();
    }
}
