package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Deadlines for control-plane calls ({@code ember.rpc.timeout}). */
public final class Deadlines {

    private Deadlines() {}

    /**
     * A stub whose calls each fail with {@code DEADLINE_EXCEEDED} once {@code timeout} has passed
     * from <em>now</em>: the deadline is absolute, so take a fresh stub for each call (stubs are
     * cheap). Not for long-lived streams, which would be cut off after {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public static <S extends AbstractStub<S>> S withTimeout(S stub, Duration timeout) {
        requireNonNull(stub, "stub is null");
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0: " + timeout);
        }
        return stub.withDeadlineAfter(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
