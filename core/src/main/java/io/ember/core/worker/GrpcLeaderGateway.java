package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's outgoing transport adapter: its {@link LeaderGateway} over gRPC. Each call is one
 * blocking {@code MasterService} call with the {@code ember.rpc.timeout} deadline; a failed call
 * becomes a {@link LeaderCallException}, its gRPC status sorted into what may help. With
 * {@link WorkerRpc}, {@link WorkerNode} and {@link WorkerMessages} it is the only worker code that
 * builds or parses protobuf messages.
 *
 * <p>Thread-safe.
 */
final class GrpcLeaderGateway implements LeaderGateway {

    private final RpcChannels channels;
    private final Duration timeout;

    GrpcLeaderGateway(RpcChannels channels, Duration timeout) {
        this.channels = requireNonNull(channels, "channels is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public long register(LeaderInfo leader, WorkerRegistration registration) {
        return call(leader, () -> stub(leader).registerWorker(WorkerMessages.registration(registration)).getEpoch());
    }

    @Override
    public void report(LeaderInfo leader, String workerId, ExecutorReport report) {
        ReportExecutorStateRequest request = ReportExecutorStateRequest.newBuilder()
                .setWorkerId(workerId).setState(WorkerMessages.state(report)).build();
        call(leader, () -> stub(leader).reportExecutorState(request));
    }

    @Override
    public void forget(LeaderInfo leader) {
        channels.evict(leader.address());
    }

    private <T> T call(LeaderInfo leader, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            throw new LeaderCallException(
                    RpcErrors.describe("leader master " + leader.masterId(), leader.address(), e, timeout),
                    refusal(status.getCode()),
                    status.getDescription() == null ? status.getCode().name() : status.getDescription(), e);
        }
    }

    /** What may help after a call failed with {@code code}. */
    static LeaderCallException.Refusal refusal(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED, ABORTED, UNKNOWN, INTERNAL,
                    UNAUTHENTICATED -> LeaderCallException.Refusal.TRY_AGAIN;
            case FAILED_PRECONDITION, NOT_FOUND -> LeaderCallException.Refusal.REGISTER_AGAIN;
            default -> LeaderCallException.Refusal.FOR_GOOD;
        };
    }

    private MasterServiceGrpc.MasterServiceBlockingStub stub(LeaderInfo leader) {
        return Deadlines.withTimeout(MasterServiceGrpc.newBlockingStub(channels.channel(leader.address())), timeout);
    }
}
