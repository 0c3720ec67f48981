package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sends this JVM's log lines to a file of their own and keeps only WARN and ERROR on the console:
 * what {@code ember submit} does on a terminal, where the cluster's INFO lines would bury the
 * application's output. The file gets every line the console used to, in the same layout.
 *
 * <p>Reconfigures Logback, this JVM's logging, in place: the root logger gains a file appender, and
 * each console appender of the root a threshold at WARN. {@link Diversion#close()} undoes both.
 */
final class ConsoleLogs {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ConsoleLogs() {
    }

    /** The log lines going to {@link #file()}; closing sends them back to the console. */
    interface Diversion extends AutoCloseable {

        /** Where the lines go. */
        Path file();

        @Override
        void close();
    }

    /**
     * Sends the log lines to a new file in {@code directory} (created when missing), named after
     * {@code name}, the time and this process.
     *
     * @throws IOException when the directory or the file cannot be made; nothing is changed then
     * @throws IllegalStateException when the JVM does not log through Logback
     */
    static Diversion toFile(Path directory, String name) throws IOException {
        requireNonNull(directory, "directory is null");
        requireNonNull(name, "name is null");
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("this JVM does not log through Logback but " + factory.getClass().getName());
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(name + "-" + LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid()
                + ".log");
        Files.createFile(file);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("ember-submit-file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("cannot write " + file);
        }

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setLevel(Level.WARN.levelStr);
        warnings.start();
        Map<ConsoleAppender<ILoggingEvent>, List<Filter<ILoggingEvent>>> consoles = new LinkedHashMap<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                consoles.put(console, console.getCopyOfAttachedFiltersList());
            }
        }
        root.addAppender(appender);
        consoles.keySet().forEach(console -> console.addFilter(warnings));
        return new Diversion() {
            @Override
            public Path file() {
                return file;
            }

            @Override
            public void close() {
                consoles.forEach((console, filters) -> {
                    console.clearAllFilters();
                    filters.forEach(console::addFilter);
                });
                root.detachAppender(appender);
                appender.stop();
            }
        };
    }
}
