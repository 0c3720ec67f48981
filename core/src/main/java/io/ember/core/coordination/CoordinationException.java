package io.ember.core.coordination;

/**
 * ZooKeeper could not do what was asked: it is unreachable, refused the request, or holds data
 * Ember cannot read. The message is one line meant for an operator and names the ZooKeeper
 * address or path concerned; the cause, when there is one, carries the details.
 */
public class CoordinationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CoordinationException(String message) {
        super(message);
    }

    public CoordinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
