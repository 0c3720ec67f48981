package io.ember.core.executor;

import io.ember.core.serialization.JavaSerializer;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Turns what a task threw into the {@link TaskReport.Failure} the driver gets. Never throws itself. */
final class TaskErrors {

    private static final byte[] NOTHING = new byte[0];

    private TaskErrors() {
    }

    /**
     * The error's class, message and stack trace, and the error itself Java-serialized when that
     * works (else no bytes: an error holding something unserializable still reaches the driver).
     */
    static TaskReport.Failure describe(Throwable error, JavaSerializer serializer) {
        String message = error.getMessage();
        return new TaskReport.Failure(error.getClass().getName(), message == null ? "" : message, stackTrace(error),
                serialized(error, serializer));
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
