package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationEvent;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.ember.core.rpc.proto.WatchApplicationRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The driver's transport adapter towards the master: a {@link MasterGateway} over gRPC. Each call is
 * one blocking {@code MasterService} call with the {@code ember.rpc.timeout} deadline, on the
 * channel {@link RpcChannels} keeps for the master's address; a failed call becomes a
 * {@link MasterCallException} that says whether trying again may help. With
 * {@link ApplicationMessages} (the conversions) it is the only code of the driver's side towards the
 * master that builds or parses protobuf messages.
 *
 * <p>Thread-safe; stateless apart from the channels it is given.
 */
final class MasterCalls implements MasterGateway {

    private final RpcChannels channels;
    private final Duration rpcTimeout;

    /**
     * @param channels where calls to masters go, owned by the caller (signing calls when the cluster
     *     has a secret)
     * @param rpcTimeout the deadline of each call
     */
    MasterCalls(RpcChannels channels, Duration rpcTimeout) {
        this.channels = requireNonNull(channels, "channels is null");
        this.rpcTimeout = requireNonNull(rpcTimeout, "rpcTimeout is null");
    }

    @Override
    public Registered registerApplication(String address, ApplicationDescriptor app, int requestedExecutors,
                                          long executorIdsFrom) {
        return call(address, stub -> ApplicationMessages.registered(stub.registerApplication(
                ApplicationMessages.registration(app, requestedExecutors, executorIdsFrom))));
    }

    @Override
    public void requestTotalExecutors(String address, String appId, int total) {
        call(address, stub -> stub.requestTotalExecutors(ApplicationMessages.totalRequest(appId, total)));
    }

    @Override
    public void killExecutors(String address, String appId, List<String> executorIds, int total) {
        call(address, stub -> stub.killExecutors(ApplicationMessages.killRequest(appId, executorIds, total)));
    }

    @Override
    public void unregisterApplication(String address, String appId) {
        call(address, stub -> stub.unregisterApplication(ApplicationMessages.unregistration(appId)));
    }


    @Override
    public void forget(String address) {
        channels.evict(address);
    }

    @Override
    public Watch watchApplication(String address, String appId, Watcher watcher) {
        MasterServiceGrpc.MasterServiceStub stub = MasterServiceGrpc.newStub(channels.channel(address));
        AtomicReference<ClientCallStreamObserver<WatchApplicationRequest>> call = new AtomicReference<>();
        stub.watchApplication(ApplicationMessages.watch(appId), new ClientResponseObserver<WatchApplicationRequest,
                ApplicationEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchApplicationRequest> requests) {
                call.set(requests);
            }

            @Override
            public void onNext(ApplicationEvent event) {
                ApplicationMessages.event(event).ifPresent(e -> watcher.event(event.getEpoch(), e));
            }

            @Override
            public void onError(Throwable t) {
                Status.Code code = Status.fromThrowable(t).getCode();
                watcher.ended(new MasterCallException(address, retryable(code), t, rpcTimeout));
            }

            @Override
            public void onCompleted() {
                watcher.ended(null);
            }
        });
        return () -> {
            ClientCallStreamObserver<WatchApplicationRequest> open = call.get();
            if (open != null) {
                open.cancel("the driver stopped watching application " + appId, null);
            }
        };
    }

    /** Calls that may succeed when tried again, on this leader or the next. */
    static boolean retryable(Status.Code code) {
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, UNIMPLEMENTED, NOT_FOUND -> false;
            default -> true;
        };
    }

    private <T> T call(String address, Function<MasterServiceBlockingStub, T> call) {
        MasterServiceBlockingStub stub = Deadlines.withTimeout(
                MasterServiceGrpc.newBlockingStub(channels.channel(address)), rpcTimeout);
        try {
            return call.apply(stub);
        } catch (StatusRuntimeException e) {
            throw new MasterCallException(address, retryable(e.getStatus().getCode()), e, rpcTimeout);
        }
    }
}
