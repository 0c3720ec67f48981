package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.ember.api.cluster.WorkerInfo;
import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The master's outgoing transport adapter: a term's {@link WorkerGateway} over gRPC. Each command is
 * one asynchronous {@code WorkerService} call with the master's RPC deadline, carrying the term's
 * epoch; it is, with {@link MasterRpc}, {@link ZooKeeperRecords} and {@link MasterMessages}, the only
 * master code that builds or parses protobuf messages.
 *
 * <p>Threading: safe to call from any thread (the loop calls it); stages complete on gRPC's threads.
 */
final class GrpcWorkerGateway implements WorkerGateway {

    private final long epoch;
    private final RpcChannels channels;
    private final Duration rpcTimeout;

    GrpcWorkerGateway(long epoch, RpcChannels channels, Duration rpcTimeout) {
        this.epoch = epoch;
        this.channels = requireNonNull(channels, "channels is null");
        this.rpcTimeout = requireNonNull(rpcTimeout, "rpcTimeout is null");
    }

    @Override
    public CompletionStage<Void> launchExecutor(WorkerInfo worker, ExecutorRecord executor,
                                                ApplicationDescription app) {
        LaunchExecutorRequest request = LaunchExecutorRequest.newBuilder()
                .setEpoch(epoch)
                .setExecutor(MasterMessages.executor(executor, app.driverAddress()))
                .setApp(MasterMessages.application(app))
                .build();
        return call(worker, (stub, done) -> stub.launchExecutor(request, done));
    }

    @Override
    public CompletionStage<Void> killExecutor(WorkerInfo worker, String appId, String executorId) {
        KillExecutorRequest request = KillExecutorRequest.newBuilder().setEpoch(epoch).setAppId(appId)
                .setExecutorId(executorId).build();
        return call(worker, (stub, done) -> stub.killExecutor(request, done));
    }

    @Override
    public CompletionStage<Void> applicationFinished(WorkerInfo worker, String appId) {
        ApplicationFinishedRequest request = ApplicationFinishedRequest.newBuilder().setEpoch(epoch).setAppId(appId)
                .build();
        return call(worker, (stub, done) -> stub.applicationFinished(request, done));
    }

    private interface WorkerCall {
        void call(WorkerServiceGrpc.WorkerServiceStub stub, StreamObserver<Ack> done);
    }

    private CompletionStage<Void> call(WorkerInfo worker, WorkerCall call) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        String address;
        WorkerServiceGrpc.WorkerServiceStub stub;
        try {
            address = HostAndPort.fromParts(worker.host(), worker.rpcPort()).toString();   // [v6]:port
            stub = Deadlines.withTimeout(WorkerServiceGrpc.newStub(channels.channel(address)), rpcTimeout);
        } catch (IllegalArgumentException e) {   // a host no channel can be built to: the command fails
            taken.completeExceptionally(new WorkerCommandException("worker " + worker.workerId()
                    + " cannot be reached at host '" + worker.host() + "' port " + worker.rpcPort() + ": "
                    + e.getMessage(), e));
            return taken;
        }
        call.call(stub, new StreamObserver<>() {
            @Override
            public void onNext(Ack value) {
            }

            @Override
            public void onError(Throwable t) {
                taken.completeExceptionally(new WorkerCommandException(
                        RpcErrors.describe("worker " + worker.workerId(), address, t, rpcTimeout), t));
            }

            @Override
            public void onCompleted() {
                taken.complete(null);
            }
        });
        return taken;
    }
}
