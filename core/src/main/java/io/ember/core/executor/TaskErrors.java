package io.ember.core.executor;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.task.TaskNotRetryableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Turns what a task threw into the {@link TaskReport.Failure} the driver gets. Never throws itself. */
final class TaskErrors {

    private static final byte[] NOTHING = new byte[0];

    private TaskErrors() {
    }

    /**
     * The error's class, message and stack trace, the error itself Java-serialized when that works
     * (else no bytes: an error holding something unserializable still reaches the driver), and
     * whether retrying may cure it: not when a {@link TaskNotRetryableException} is among its causes.
     */
    static TaskReport.Failure describe(Throwable error, JavaSerializer serializer) {
        String message = error.getMessage();
        return new TaskReport.Failure(error.getClass().getName(), message == null ? "" : message, stackTrace(error),
                serialized(error, serializer), !notRetryable(error));
    }

    /**
     * Whether {@code error} or one of its causes is a {@link TaskNotRetryableException}; a cycle ends
     * the walk, and a {@code getCause()} that throws counts as no further cause.
     */
    static boolean notRetryable(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
                if (t instanceof TaskNotRetryableException) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // the user's getCause() threw: what was walked so far decides
        }
        return false;
    }

    /** One line for a log: the class and the message, newlines flattened. */
    static String oneLine(Throwable error) {
        String message = error.getMessage();
        String line = error.getClass().getName() + (message == null || message.isEmpty() ? "" : ": " + message);
        return line.replace('\n', ' ').replace('\r', ' ');
    }

    private static String stackTrace(Throwable error) {
        try {
            StringWriter text = new StringWriter(1024);
            try (PrintWriter out = new PrintWriter(text)) {
                error.printStackTrace(out);
            }
            return text.toString();
        } catch (RuntimeException | StackOverflowError e) {   // a toString() that throws, say
            return error.getClass().getName() + " (its stack trace could not be printed: " + e + ")";
        }
    }

    private static byte[] serialized(Throwable error, JavaSerializer serializer) {
        try {
            return serializer.serialize(error);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            return NOTHING;
        }
    }
}
