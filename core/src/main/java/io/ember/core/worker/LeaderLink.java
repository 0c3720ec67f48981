package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.retry.Backoff;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RpcErrors;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's conversation with the leader master: registers with every new leader (its spec and
 * the executors it runs), then passes on executor state changes in the order they happened.
 *
 * <p>Nothing is lost while there is no leader or the leader cannot be reached: reports wait in a
 * queue, and every call is retried with a back-off ({@link #RETRY_DELAYS}) until the leader
 * accepts it or another leader takes over (who then gets a fresh registration first, then the
 * queue). A report the leader refuses for good
 * ({@code INVALID_ARGUMENT}, {@code UNIMPLEMENTED}, ...) is dropped with a warning; one it refuses
 * until the worker registers again ({@code FAILED_PRECONDITION} or {@code NOT_FOUND}: the leader
 * does not know this worker, say) is sent once more after registering again, then dropped.
 *
 * <p>A leader that cannot be reached is one WARN line without a stack trace, and one INFO line
 * when it answers again; the retries in between log at DEBUG.
 *
 * <p>Following the leader, retrying and starting over with a new leader are the
 * {@link LeaderConversation}'s (the driver's application client has one too); the calls and their
 * wire format are the {@link LeaderGateway}'s; this class keeps the worker's messages and decisions.
 *
 * <p><b>Threads.</b> All calls are made, one at a time, on the conversation's own thread
 * ({@code ember-worker-leader}), each blocking until the leader answers or its deadline passes;
 * the public methods only queue work for it and return at once. Thread-safe.
 */
final class LeaderLink implements AutoCloseable {

    /** The waits between attempts; the same as the driver's ApplicationClient, which talks to the leader too. */
    static final Backoff RETRY_DELAYS = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1));
    /** A report refused this many times as FAILED_PRECONDITION/NOT_FOUND (re-registering in between) is dropped. */
    private static final int MAX_REFUSALS = 2;

    private static final Logger log = LoggerFactory.getLogger(LeaderLink.class);

    private final String workerId;
    private final LeaderGateway leaders;
    private final EpochFence fence;
    private final Supplier<WorkerRegistration> registration;
    private final LeaderConversation conversation;

    // Confined to the conversation's thread.
    private boolean registered;
    private final Deque<ExecutorReport> pending = new ArrayDeque<>();
    private int refusals;
    private boolean failing;

    /**
     * @param registration builds the current registration (the worker and its live
     *     executors); called on the link's thread
     */
    LeaderLink(String workerId, LeaderGateway leaders, EpochFence fence, Supplier<WorkerRegistration> registration) {
        this.workerId = requireNonNull(workerId, "workerId is null");
        this.leaders = requireNonNull(leaders, "leaders is null");
        this.fence = requireNonNull(fence, "fence is null");
        this.registration = requireNonNull(registration, "registration is null");
        this.conversation = LeaderConversation.start("ember-worker-leader", RETRY_DELAYS, new Worker());
    }

    /** A new leader: register with it (then send what is queued). */
    void leaderChanged(LeaderInfo next) {
        requireNonNull(next, "next is null");
        fence.observe(next.epoch());
        conversation.leaderChanged(next);
    }

    /** Registers again with the current leader (after this worker's ZooKeeper session was renewed, say). */
    void reregister() {
        conversation.attemptNow(() -> registered = false);
    }

    /** Queues an executor's new state for the leader. */
    void report(ExecutorReport state) {
        requireNonNull(state, "state is null");
        conversation.attemptSoon(() -> pending.add(state));
    }

    /** Stops talking to the leader; what is still queued is dropped. Idempotent. */
    @Override
    public void close() {
        conversation.close();
    }

    /** The worker's side of the conversation; on the link's thread. */
    private final class Worker implements LeaderConversation.Party {

        @Override
        public void leaderChanged(LeaderInfo previous, LeaderInfo next) {
            if (previous != null && !previous.address().equals(next.address())) {
                leaders.forget(previous);
            }
            registered = false;
            failing = false;
            refusals = 0;
        }

        /** Registers if needed, then sends the queue. */
        @Override
        public void converse(LeaderInfo target) {
            if (!registered) {
                WorkerRegistration request = registration.get();
                long epoch = leaders.register(target, request);
                fence.observe(epoch);
                registered = true;
                log.info("Worker {} registered with the leader master {} at {} (epoch {}), reporting {} executor(s)",
                        workerId, target.masterId(), target.address(), Math.max(epoch, target.epoch()),
                        request.executors().size());
                failing = false;   // that line says it answers again
            }
            while (!pending.isEmpty()) {
                ExecutorReport state = pending.peek();
                try {
                    leaders.report(target, workerId, state);
                } catch (LeaderCallException e) {
                    if (!refusedForGood(e, state)) {
                        throw e;
                    }
                }
                pending.poll();
                refusals = 0;
            }
            if (failing) {
                log.info("Worker {} reached the leader master {} at {} again", workerId, target.masterId(),
                        target.address());
                failing = false;
            }
        }

        @Override
        public void failed(LeaderInfo target, RuntimeException e, int failures, Duration retryIn) {
            String problem = e instanceof LeaderCallException ? e.getMessage()
                    : RpcErrors.describe("leader master " + target.masterId(), target.address(), e);
            if (!failing) {
                log.warn("Worker {} could not reach the leader: {}; retrying until it answers or another master leads",
                        workerId, problem);
                failing = true;
            } else {
                log.debug("{}; trying again in {} ms", problem, retryIn.toMillis());
            }
        }
    }

    /**
     * Whether the leader refused a report in a way retrying cannot fix (then it is dropped). A
     * refusal that re-registering may fix makes the next attempt register first.
     */
    private boolean refusedForGood(LeaderCallException e, ExecutorReport state) {
        switch (e.refusal()) {
            case TRY_AGAIN -> {
                return false;
            }
            case REGISTER_AGAIN -> {
                if (++refusals < MAX_REFUSALS) {
                    registered = false;
                    return false;
                }
            }
            case FOR_GOOD -> {
            }
        }
        log.warn("The leader master refused the state {} of executor {} of application {}: {}; not reporting it again",
                state.status(), state.executor().executorId(), state.executor().appId(), e.reason());
        refusals = 0;
        return true;
    }

    @Override
    public String toString() {
        return "LeaderLink[worker " + workerId + (conversation.isClosed() ? ", closed" : "") + "]";
    }
}
