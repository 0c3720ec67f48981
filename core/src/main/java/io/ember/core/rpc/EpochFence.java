package io.ember.core.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest leader epoch a process has seen, so it can refuse commands from a deposed master.
 * Epochs come from the leader's responses and commands and from ZooKeeper; every command a master
 * sends carries its epoch, and the receiver calls {@link #check} before acting on it.
 *
 * <p>Starts at 0 (nothing seen). Thread-safe and lock-free; it never goes backwards.
 */
public final class EpochFence {

    private final AtomicLong highest = new AtomicLong();

    /** Records an epoch seen elsewhere (a response, ZooKeeper); returns the highest now known. */
    public long observe(long epoch) {
        return highest.accumulateAndGet(epoch, Math::max);
    }

    /** The newest epoch seen so far, 0 when none. */
    public long highest() {
        return highest.get();
    }

    /**
     * Admits a command of leader {@code epoch}: one as new as the newest seen, or newer (which is
     * then recorded).
     *
     * @throws StatusRuntimeException {@code FAILED_PRECONDITION}, "stale leader epoch 3; newest seen
     *     is 4", for an older epoch; a gRPC handler may pass it straight to its caller
     */
    public void check(long epoch) {
        long seen = highest.get();
        while (epoch > seen) {
            if (highest.compareAndSet(seen, epoch)) {
                return;
            }
            seen = highest.get();
        }
        if (epoch < seen) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("stale leader epoch " + epoch + "; newest seen is " + seen)
                    .asRuntimeException();
        }
    }

    @Override
    public String toString() {
        return "EpochFence[highest=" + highest.get() + "]";
    }
}
