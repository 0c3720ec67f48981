package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.driver.EmberContext;
import io.ember.core.driver.RunningApplications;
import java.io.PrintStream;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every application {@code ember submit} runs a {@link ConsoleProgress} on the terminal, from
 * its start to its close, when standard error is a terminal: {@code bin/ember} says so, and how wide
 * it is, in the system property {@value #COLUMNS_PROPERTY} (the JVM cannot tell by itself).
 *
 * <p>Thread-safe.
 */
final class TerminalProgress implements RunningApplications.Watcher {

    /** Set by {@code bin/ember} to the terminal's columns when its standard error is a terminal. */
    static final String COLUMNS_PROPERTY = "io.ember.terminal.columns";

    private final PrintStream terminal;
    private final int columns;
    private final Map<EmberContext, ConsoleProgress> shown = new IdentityHashMap<>();

    TerminalProgress(PrintStream terminal, int columns) {
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.columns = columns;
    }

    /** The terminal's columns when standard error is a terminal (the launcher's word for it); empty otherwise. */
    static Optional<Integer> standardErrorColumns() {
        String value = System.getProperty(COLUMNS_PROPERTY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            int columns = Integer.parseInt(value.strip());
            return columns >= 20 ? Optional.of(columns) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void started(EmberContext context) {
        ConsoleProgress progress = new ConsoleProgress(terminal, columns, Clock.systemUTC()).start();
        synchronized (shown) {
            shown.put(context, progress);
        }
        context.addListener(progress);
    }

    @Override
    public void ended(EmberContext context) {
        ConsoleProgress progress;
        synchronized (shown) {
            progress = shown.remove(context);
        }
        if (progress != null) {
            context.removeListener(progress);
            progress.close();
        }
    }

    @Override
    public String toString() {
        return "the console's progress bar";
    }
}
