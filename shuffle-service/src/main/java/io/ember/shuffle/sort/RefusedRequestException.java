package io.ember.shuffle.sort;

/**
 * A request the shuffle server refuses (unknown application or executor, a bad block id or
 * directory): answered with an error naming the reason, the connection stays open. Expected, so it
 * carries no stack trace.
 */
final class RefusedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    RefusedRequestException(String message) {
        super(message, null, false, false);
    }
}
