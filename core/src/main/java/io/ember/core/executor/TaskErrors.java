package io.ember.core.executor;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.serialization.JavaSerializer;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Turns what a task threw into the {@code TaskError} the driver gets. Never throws itself. */
final class TaskErrors {

    private TaskErrors() {
    }

    /**
     * The error's class, message and stack trace, and the error itself Java-serialized when that
     * works (else no bytes: an error holding something unserializable still reaches the driver).
     */
    static TaskError describe(Throwable error, JavaSerializer serializer) {
        String message = error.getMessage();
        return TaskError.newBuilder()
                .setClassName(error.getClass().getName())
                .setMessage(message == null ? "" : message)
                .setStackTrace(stackTrace(error))
                .setException(serialized(error, serializer))
                .build();
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

    private static ByteString serialized(Throwable error, JavaSerializer serializer) {
        try {
            return UnsafeByteOperations.unsafeWrap(serializer.serialize(error));
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            return ByteString.EMPTY;
        }
    }
}
