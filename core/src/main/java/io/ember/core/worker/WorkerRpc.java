package io.ember.core.worker;

import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * The worker's incoming transport adapter, its gRPC endpoint ({@code WorkerService}): turns the
 * leader master's commands into calls on the worker in its own types ({@link WorkerMessages}), and
 * the worker's refusals into statuses: a stale epoch is {@code FAILED_PRECONDITION}, a malformed
 * command {@code INVALID_ARGUMENT}, a worker that is not serving (yet, or any more) or stopping
 * {@code UNAVAILABLE}. Every command is answered at once: the worker does its process work in the
 * background. With {@link GrpcLeaderGateway}, {@link WorkerNode} and {@link WorkerMessages} it is
 * the only worker code that sees protobuf messages.
 *
 * <p>Thread-safe; handlers run on the RPC server's small pool.
 */
final class WorkerRpc extends WorkerServiceGrpc.WorkerServiceImplBase {

    /**
     * What the worker does for each command, in its own types; each first checks the command's
     * leader epoch. Each throws {@link StatusRuntimeException} for a stale epoch (the fence's
     * refusal, passed on as it is), {@link IllegalArgumentException} for a malformed command and
     * {@link WorkerStoppingException} once the worker is stopping.
     */
    interface Commands {

        /** Runs {@code executor} of {@code app}, unless it runs already. */
        void launchExecutor(long epoch, ExecutorAssignment executor, ApplicationSettings app);

        /** Stops one executor, if this worker runs it. */
        void killExecutor(long epoch, String appId, String executorId);

        /** Stops the application's executors and cleans up after it. */
        void applicationFinished(long epoch, String appId);
    }

    private volatile Commands commands;

    /** From now on, commands go to {@code target}. */
    void serve(Commands target) {
        this.commands = target;
    }

    /** From now on, commands are refused with UNAVAILABLE. */
    void stopServing() {
        this.commands = null;
    }

    @Override
    public void launchExecutor(LaunchExecutorRequest request, StreamObserver<Ack> response) {
        Commands target = commands;
        if (target != null) {
            answer(response, () -> target.launchExecutor(request.getEpoch(),
                    WorkerMessages.executor(request.getExecutor()), WorkerMessages.application(request.getApp())));
        } else {
            notServing(response);
        }
    }

    @Override
    public void killExecutor(KillExecutorRequest request, StreamObserver<Ack> response) {
        Commands target = commands;
        if (target != null) {
            answer(response, () -> target.killExecutor(request.getEpoch(), request.getAppId(),
                    request.getExecutorId()));
        } else {
            notServing(response);
        }
    }

    @Override
    public void applicationFinished(ApplicationFinishedRequest request, StreamObserver<Ack> response) {
        Commands target = commands;
        if (target != null) {
            answer(response, () -> target.applicationFinished(request.getEpoch(), request.getAppId()));
        } else {
            notServing(response);
        }
    }

    private static void answer(StreamObserver<Ack> response, Runnable command) {
        try {
            command.run();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (WorkerStoppingException e) {
            response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        response.onNext(Ack.getDefaultInstance());
        response.onCompleted();
    }

    private static void notServing(StreamObserver<Ack> response) {
        response.onError(Status.UNAVAILABLE.withDescription("the worker is not serving (starting or stopping)")
                .asRuntimeException());
    }
}
