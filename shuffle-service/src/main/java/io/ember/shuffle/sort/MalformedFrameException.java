package io.ember.shuffle.sort;

/**
 * A frame that is not a message of the shuffle protocol: too short, too long, of an unknown type,
 * or with a field out of range. The connection it came on is closed; other connections are not
 * affected.
 */
final class MalformedFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedFrameException(String message) {
        super(message, null, false, false);
    }
}
