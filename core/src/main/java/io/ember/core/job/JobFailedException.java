package io.ember.core.job;

/**
 * A job did not finish. The message says which task failed how often and where; the cause is the
 * task's original error: the exception the user's code threw when it could be deserialized on the
 * driver, else a {@link RemoteTaskException} carrying its class, message and stack trace.
 *
 * <p>The context that ran the job stays usable.
 */
public class JobFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
