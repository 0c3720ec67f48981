package io.ember.core.cli;

/** Why {@code ember status} cannot tell the cluster's status, in one line for the operator. */
final class StatusException extends RuntimeException {

    StatusException(String message) {
        super(message, null, false, false);
    }
}
