package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import java.util.function.Predicate;

/**
 * Names an action after the application's line that called it, e.g. {@code "count at
 * WordCount.java:42"}: the first stack frame outside Ember's own classes.
 */
final class CallSite {

    private static final String EMBER = "io.ember.core.";

    private CallSite() {
    }

    /** {@code "<action> at <File.java>:<line>"}, or just {@code action} when no frame qualifies. */
    static String describe(String action) {
        return describe(action, className -> className.startsWith(EMBER));
    }

    /** As {@link #describe(String)}, skipping the frames whose class {@code internal} accepts. */
    static String describe(String action, Predicate<String> internal) {
        requireNonNull(action, "action is null");
        requireNonNull(internal, "internal is null");
        return StackWalker.getInstance().walk(frames -> frames
                .filter(frame -> !internal.test(frame.getClassName()))
                .findFirst()
                .filter(frame -> frame.getFileName() != null && frame.getLineNumber() > 0)
                .map(frame -> action + " at " + frame.getFileName() + ":" + frame.getLineNumber())
                .orElse(action));
    }
}
