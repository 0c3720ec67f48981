package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.retry.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A process's conversation with the leader master of the moment, for the worker and the driver:
 * it follows the leader (feed it {@link LeaderTracker}'s news with {@link #leaderChanged}), makes
 * the owner's attempts against whoever leads, retries a failed attempt after a {@link Backoff},
 * starts over at once with a new leader, and drops everything on {@link #close()}.
 *
 * <p>The owner ({@link Party}) keeps its own messages and decisions: what it owes the leader
 * (registering, then what is queued), which refusals are for good, and its log lines. An attempt
 * throws to be retried; the deadline of each call is the owner's (its stubs carry
 * {@code ember.rpc.timeout}).
 *
 * <p>A caller that must block until a leader answers (the driver's first registration) waits
 * between its attempts with {@link #pause}, which a new leader cuts short.
 *
 * <p><b>Threads.</b> Attempts and the party's callbacks run one at a time on the conversation's
 * {@link Loop} (an {@link EventLoop} of its own in production, a manual one in tests); the public
 * methods only queue work there and are thread-safe. {@link #close()} is idempotent.
 */
public final class LeaderConversation implements AutoCloseable {

    /** What the conversation is about; called on the conversation's loop only. */
    public interface Party {

        /**
         * Another leader than {@code previous} (null for the first one) leads now: forget what
         * the previous one was told. The conversation then attempts at once.
         */
        void leaderChanged(LeaderInfo previous, LeaderInfo next);

        /** One attempt at everything owed to {@code leader}; throws to be retried after the back-off. */
        void converse(LeaderInfo leader);

        /** An attempt failed with {@code failure}; the next comes after {@code retryIn}, unless a new leader comes first. */
        void failed(LeaderInfo leader, RuntimeException failure, int failures, Duration retryIn);
    }

    /** Where the conversation runs: one task at a time, in order. */
    public interface Loop {

        /** Queues a task; dropped once the loop is stopped. */
        void execute(Runnable task);

        /** Runs the task after the delay; returns how to cancel it, or empty when the loop is stopped. */
        Optional<Runnable> schedule(Runnable task, Duration delay);

        /** Stops the loop, dropping what is queued. */
        void stop();

        /** A loop on an {@link EventLoop}, stopped with it. */
        static Loop of(EventLoop loop) {
            requireNonNull(loop, "loop is null");
            return new Loop() {
                @Override
                public void execute(Runnable task) {
                    loop.execute(task);
                }

                @Override
                public Optional<Runnable> schedule(Runnable task, Duration delay) {
                    return loop.schedule(task, delay).map(future -> () -> future.cancel(false));
                }

                @Override
                public void stop() {
                    loop.shutdownNow(Duration.ZERO);
                }
            };
        }
    }

    private final Loop loop;
    private final Backoff backoff;
    private final Party party;
    private volatile boolean closed;

    /** Counts leader changes, so a pausing caller wakes up at once for a new leader. */
    private final Object changes = new Object();
    /** Guarded by changes. */
    private long leaderChanges;

    // Confined to the loop.
    private LeaderInfo leader;
    private int failedAttempts;
    private Runnable cancelRetry;

    /**
     * @param loop where attempts run, owned by the conversation from now on
     * @param backoff the waits between failed attempts in a row
     * @param party what is said to the leader
     */
    public LeaderConversation(Loop loop, Backoff backoff, Party party) {
        this.loop = requireNonNull(loop, "loop is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.party = requireNonNull(party, "party is null");
    }

    /** A conversation on an {@link EventLoop} of its own, on a thread called {@code threadName}. */
    public static LeaderConversation start(String threadName, Backoff backoff, Party party) {
        return new LeaderConversation(Loop.of(EventLoop.start(threadName)), backoff, party);
    }

    /** The waits between failed attempts. */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * A new leader (from {@link LeaderTracker}'s listener): wakes anyone pausing, then, on the
     * loop, tells the party and attempts at once, from a fresh back-off.
     */
    public void leaderChanged(LeaderInfo next) {
        requireNonNull(next, "next is null");
        synchronized (changes) {
            leaderChanges++;
            changes.notifyAll();
        }
        run(() -> {
            LeaderInfo previous = leader;
            leader = next;
            failedAttempts = 0;
            party.leaderChanged(previous, next);
            attemptNow();
        });
    }

    /** Runs {@code change} on the loop, then attempts at once (cancelling a retry that waits). */
    public void attemptNow(Runnable change) {
        requireNonNull(change, "change is null");
        run(() -> {
            change.run();
            attemptNow();
        });
    }

    /** Runs {@code change} on the loop, then attempts unless a retry already waits (it will carry the change). */
    public void attemptSoon(Runnable change) {
        requireNonNull(change, "change is null");
        run(() -> {
            change.run();
            if (cancelRetry == null) {
                attempt();
            }
        });
    }

    /** How many leaders this conversation has been told of; see {@link #pause}. */
    public long leaderChanges() {
        synchronized (changes) {
            return leaderChanges;
        }
    }

    /** Wakes whoever {@link #pause pauses} now, so that they look at their {@code stop} condition again. */
    public void wake() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /**
     * Waits up to {@code delay}, less when the leader changes (or changed since {@code seen}, from
     * {@link #leaderChanges()}), {@code stop} holds (looked at on every {@link #wake()}), the
     * conversation is closed or the thread is interrupted. For callers that block between attempts.
     *
     * @return false when waiting should stop for good (interrupted, closed, or {@code stop} holds)
     */
    public boolean pause(Duration delay, long seen, BooleanSupplier stop) {
        requireNonNull(delay, "delay is null");
        requireNonNull(stop, "stop is null");
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (changes) {
            while (leaderChanges == seen && !stop.getAsBoolean() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changes, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !stop.getAsBoolean() && !closed;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops: no more attempts or callbacks, what is queued is dropped, pausing callers wake. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        loop.stop();
    }

    private void run(Runnable task) {
        if (closed) {
            return;
        }
        loop.execute(task);   // dropped when closed meanwhile
    }

    private void attemptNow() {
        if (cancelRetry != null) {
            cancelRetry.run();
        }
        attempt();
    }

    /** One attempt of the party against the leader of the moment; on failure, schedules the next. */
    private void attempt() {
        cancelRetry = null;
        if (closed || leader == null) {
            return;
        }
        LeaderInfo target = leader;
        try {
            party.converse(target);
            failedAttempts = 0;
        } catch (RuntimeException e) {   // a failed call; anything else is retried the same way
            if (closed) {
                return;
            }
            Duration delay = backoff.delayAfter(++failedAttempts);
            party.failed(target, e, failedAttempts, delay);
            cancelRetry = loop.schedule(this::attempt, delay).orElse(null);
        }
    }

    @Override
    public String toString() {
        return "LeaderConversation[" + (closed ? "closed" : "open") + "]";
    }
}
