package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.core.rpc.RpcErrors;
import java.time.Duration;

/**
 * A call through the {@link MasterGateway} failed: the master was unreachable, too slow, or refused
 * it. {@link #retryable()} says whether the same call may succeed later, on this leader or the next;
 * {@link #describe} turns it into one line naming the master.
 */
final class MasterCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String address;
    private final boolean retryable;
    private final transient Duration timeout;

    /**
     * @param address the master called
     * @param retryable whether the call may succeed when tried again
     * @param cause the transport's failure
     * @param timeout the call's deadline, as configured
     */
    MasterCallException(String address, boolean retryable, Throwable cause, Duration timeout) {
        super(RpcErrors.describe("master", address, cause, timeout), cause);
        this.address = requireNonNull(address, "address is null");
        this.retryable = retryable;
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Whether the call may succeed when tried again (a refusal for good, such as not authenticated, may not). */
    boolean retryable() {
        return retryable;
    }

    /** One line for an operator: "{@code what} at host:port did not answer within 10s". */
    String describe(String what) {
        return RpcErrors.describe(what, address, getCause(), timeout);
    }
}
