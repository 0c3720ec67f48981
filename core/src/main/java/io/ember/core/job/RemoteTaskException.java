package io.ember.core.job;

import static java.util.Objects.requireNonNull;

/**
 * An error thrown by a task on an executor that could not be re-created on the driver (its class
 * is not serializable or not known here): its class name, message and the executor's stack trace.
 */
public final class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String className;
    private final String remoteStackTrace;

    public RemoteTaskException(String className, String message, String remoteStackTrace) {
        super(className + (message == null || message.isEmpty() ? "" : ": " + message), null, false, false);
        this.className = requireNonNull(className, "className is null");
        this.remoteStackTrace = requireNonNull(remoteStackTrace, "remoteStackTrace is null");
    }

    /** The class of the original exception. */
    public String className() {
        return className;
    }

    /** The original stack trace, as printed on the executor. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
