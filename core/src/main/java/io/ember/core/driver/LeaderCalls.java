package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderConversation;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterApplicationResponse;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application client's blocking calls to the leader of the moment: registering an application
 * until a leader accepts (or the deadline passes), unregistering it, the stubs with the
 * {@code ember.rpc.timeout} deadline, and which failures are worth another attempt. It waits
 * between attempts through the client's {@link LeaderConversation}, so a new leader cuts a wait
 * short.
 *
 * <p>Stateless apart from what it is given; each method blocks its caller. Thread-safe.
 */
final class LeaderCalls {

    /** The client's logger: these lines are the application client's. */
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);

    private final LeaderTracker tracker;
    private final LeaderConversation conversation;
    private final EpochFence fence;
    private final RpcChannels channels;
    private final Duration rpcTimeout;
    private final Duration leaderTimeout;
    private final ClusterPaths paths;
    private final String zookeeperConnect;
    private final Duration maxRetryDelay;

    LeaderCalls(LeaderTracker tracker, LeaderConversation conversation, EpochFence fence, RpcChannels channels,
            Duration rpcTimeout, Duration leaderTimeout, ClusterPaths paths, String zookeeperConnect) {
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.conversation = requireNonNull(conversation, "conversation is null");
        this.fence = requireNonNull(fence, "fence is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.rpcTimeout = requireNonNull(rpcTimeout, "rpcTimeout is null");
        this.leaderTimeout = requireNonNull(leaderTimeout, "leaderTimeout is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.zookeeperConnect = requireNonNull(zookeeperConnect, "zookeeperConnect is null");
        this.maxRetryDelay = conversation.backoff().max();
    }

    /** A registration a leader accepted. */
    record Accepted(LeaderInfo leader, RegisterApplicationResponse response) {
    }

    /**
     * Registers (or registers again) until a leader accepts.
     *
     * @param deadlineNanos when to give up ({@link Long#MAX_VALUE}: never)
     * @param first the first registration (it gives up at the deadline with a message saying why)
     * @param stopped whether to stop trying (unregistered or closed), looked at on every wake
     * @return the acceptance, or null when stopped
     */
    Accepted register(ApplicationSpec application, int requested, long deadlineNanos, boolean first,
            BooleanSupplier stopped) {
        RegisterApplicationRequest request = RegisterApplicationRequest.newBuilder()
                .setApp(application).setRequestedExecutors(requested).build();
        String last = null;
        boolean sawLeader = false;
        int failures = 0;
        while (true) {
            if (stopped.getAsBoolean()) {
                return null;
            }
            long changes = conversation.leaderChanges();
            Optional<LeaderInfo> current = tracker.current();
            if (current.isEmpty()) {
                if (!conversation.pause(first ? remaining(deadlineNanos) : maxRetryDelay, changes,
                        () -> stopped.getAsBoolean())) {
                    return null;
                }
                if (first && System.nanoTime() - deadlineNanos >= 0 && tracker.current().isEmpty()) {
                    throw giveUp(application, sawLeader, last);
                }
                continue;
            }
            LeaderInfo leader = current.get();
            sawLeader = true;
            fence.observe(leader.epoch());
            try {
                RegisterApplicationResponse response = stub(leader.address()).registerApplication(request);
                long newest = fence.highest();
                if (response.getEpoch() < newest) {
                    last = "master " + leader.masterId() + " at " + leader.address() + " answered for epoch "
                            + response.getEpoch() + ", but epoch " + newest + " leads now";
                    LOG.info("Ignoring a registration response from a deposed master: {}", last);
                } else if (response.getAppId().isEmpty()) {
                    last = "master " + leader.masterId() + " at " + leader.address() + " answered without an "
                            + "application id";
                    LOG.warn("Registration of application '{}': {}", application.getName(), last);
                } else {
                    fence.observe(response.getEpoch());
                    return new Accepted(leader, response);
                }
            } catch (StatusRuntimeException e) {
                last = RpcErrors.describe("master " + leader.masterId(), leader.address(), e, rpcTimeout);
                if (!retryable(e.getStatus().getCode())) {
                    throw new IllegalStateException("cannot register application '" + application.getName()
                            + "': " + last);
                }
                LOG.debug("Registration of application '{}' not accepted yet: {}", application.getName(), last);
            }
            if (first && System.nanoTime() - deadlineNanos >= 0) {
                throw giveUp(application, true, last);
            }
            Duration delay = conversation.backoff().delayAfter(++failures);
            if (!conversation.pause(first ? min(delay, remaining(deadlineNanos)) : delay, changes,
                    () -> stopped.getAsBoolean())) {
                return null;
            }
        }
    }

    private RuntimeException giveUp(ApplicationSpec application, boolean sawLeader, String last) {
        if (!sawLeader) {
            return new CoordinationException("no leader master for cluster " + paths.cluster() + " at "
                    + zookeeperConnect + " after " + Durations.format(leaderTimeout));
        }
        return new IllegalStateException("no leader master of cluster " + paths.cluster() + " at " + zookeeperConnect
                + " accepted application '" + application.getName() + "' within " + Durations.format(leaderTimeout)
                + (last == null ? "" : ": " + last));
    }

    /**
     * Ends the application at the leader of the moment, trying within about the RPC timeout.
     *
     * @param closed whether the client closed meanwhile (then it stops trying)
     * @return whether a master acknowledged
     */
    boolean unregister(String appId, BooleanSupplier closed) {
        long deadline = System.nanoTime() + rpcTimeout.toNanos();
        String last = null;
        int failures = 0;
        while (System.nanoTime() - deadline < 0) {
            Optional<LeaderInfo> leader = tracker.current();
            if (leader.isPresent()) {
                try {
                    stub(leader.get().address()).unregisterApplication(
                            UnregisterApplicationRequest.newBuilder().setAppId(appId).build());
                    LOG.info("Application {} unregistered from master {} at {}", appId, leader.get().masterId(),
                            leader.get().address());
                    return true;
                } catch (StatusRuntimeException e) {
                    last = RpcErrors.describe("master " + leader.get().masterId(), leader.get().address(), e,
                            rpcTimeout);
                    if (!retryable(e.getStatus().getCode())) {
                        break;
                    }
                }
            } else {
                last = "no leader master for cluster " + paths.cluster() + " at " + zookeeperConnect;
            }
            if (!conversation.pause(conversation.backoff().delayAfter(++failures), conversation.leaderChanges(),
                    closed)) {
                break;
            }
        }
        LOG.warn("Could not unregister application {}: {}; the master ends it when the driver's node goes", appId,
                last == null ? "out of time" : last);
        return false;
    }

    /** Calls that may succeed when tried again, on this leader or the next. */
    static boolean retryable(Status.Code code) {
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, UNIMPLEMENTED, NOT_FOUND -> false;
            default -> true;
        };
    }

    MasterServiceBlockingStub stub(String address) {
        return Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(address)), rpcTimeout);
    }

    private Duration remaining(long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE
                ? maxRetryDelay : Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
