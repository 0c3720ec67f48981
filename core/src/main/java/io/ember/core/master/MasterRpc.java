package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.NotLeaderException;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationEvent;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.KillExecutorsRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterApplicationResponse;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.RegisterWorkerResponse;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.ember.core.rpc.proto.WatchApplicationRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The master's incoming transport adapter: the {@code MasterService} every master serves. A standby
 * answers UNAVAILABLE ("not the leader"); the leader runs each request on its event loop against the
 * current {@link Leadership}, converting requests into the master's own types and answers back
 * ({@link MasterMessages}). With {@link GrpcWorkerGateway} and {@link ZooKeeperRecords} it is the only
 * master code that sees protobuf messages.
 */
final class MasterRpc extends MasterServiceGrpc.MasterServiceImplBase {

    private final MasterServer master;

    MasterRpc(MasterServer master) {
        this.master = requireNonNull(master, "master is null");
    }

    @Override
    public void registerWorker(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> response) {
        WorkerRegistration registration;
        try {
            registration = MasterMessages.registration(request.getWorker(), request.getExecutorsList(),
                    request.getUiUrl());
            // a worker id names the worker's ZooKeeper node, and the worker is reached at its host
            new ClusterPaths(master.clusterName()).worker(registration.worker().workerId());
            String host = registration.worker().host();
            if (host.isBlank()) {
                throw new IllegalArgumentException("a worker needs a host to be reached at");
            }
            if (!InetAddresses.isInetAddress(host) && !InternetDomainName.isValid(host)) {
                throw new IllegalArgumentException("host '" + host + "' is neither an IP address nor a host name");
            }
        } catch (IllegalArgumentException e) {
            refuse(response, "a malformed worker registration: " + e.getMessage());
            return;
        }
        onLeader(response, leader -> RegisterWorkerResponse.newBuilder()
                .setEpoch(leader.registerWorker(registration))
                .setMasterId(master.masterId())
                .build());
    }

    @Override
    public void reportExecutorState(ReportExecutorStateRequest request, StreamObserver<Ack> response) {
        ExecutorReport report;
        try {
            report = MasterMessages.report(request.getState());
        } catch (IllegalArgumentException e) {
            refuse(response, "a malformed executor state: " + e.getMessage());
            return;
        }
        onLeader(response, leader -> {
            leader.executorStateChanged(request.getWorkerId(), report);
            return Ack.getDefaultInstance();
        });
    }

    @Override
    public void registerApplication(RegisterApplicationRequest request,
                                    StreamObserver<RegisterApplicationResponse> response) {
        if (request.getApp().getCoresPerExecutor() < 1 || request.getApp().getMemoryPerExecutorBytes() < 1
                || request.getRequestedExecutors() < 0 || request.getExecutorIdsFrom() < 0) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("an application needs executors of at least 1 core and 1 byte, a request >= 0 "
                            + "and executor_ids_from >= 0")
                    .asRuntimeException());
            return;
        }
        if (request.getApp().getMaxLaunchFailures() < 0 || request.getApp().getMaxExecutorFailures() < 0) {
            refuse(response, "max_launch_failures and max_executor_failures must be >= 0 (0: the default)");
            return;
        }
        ApplicationDescription app;
        try {
            app = MasterMessages.application(request.getApp());
        } catch (IllegalArgumentException e) {
            refuse(response, "a malformed application: " + e.getMessage());
            return;
        }
        onLeader(response, leader -> RegisterApplicationResponse.newBuilder()
                .setAppId(leader.registerApplication(app, request.getRequestedExecutors(), request.getExecutorIdsFrom()))
                .setEpoch(leader.epoch())
                .build());
    }

    @Override
    public void requestTotalExecutors(RequestTotalExecutorsRequest request, StreamObserver<Ack> response) {
        if (request.getTotal() < 0) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("total must be >= 0: " + request.getTotal())
                    .asRuntimeException());
            return;
        }
        onLeader(response, leader -> {
            leader.requestTotalExecutors(request.getAppId(), request.getTotal());
            return Ack.getDefaultInstance();
        });
    }

    @Override
    public void killExecutors(KillExecutorsRequest request, StreamObserver<Ack> response) {
        if (request.hasTotal() && request.getTotal() < 0) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("total must be >= 0: " + request.getTotal())
                    .asRuntimeException());
            return;
        }
        OptionalInt total = request.hasTotal() ? OptionalInt.of(request.getTotal()) : OptionalInt.empty();
        onLeader(response, leader -> {
            leader.killExecutors(request.getAppId(), request.getExecutorIdsList(), total);
            return Ack.getDefaultInstance();
        });
    }

    @Override
    public void unregisterApplication(UnregisterApplicationRequest request, StreamObserver<Ack> response) {
        onLeader(response, leader -> {
            leader.unregisterApplication(request.getAppId());
            return Ack.getDefaultInstance();
        });
    }

    @Override
    public void describeCluster(DescribeClusterRequest request, StreamObserver<ClusterDescription> response) {
        onLeader(response, leader ->
                MasterMessages.description(master.masterId(), leader.overview()));
    }

    private static void refuse(StreamObserver<?> response, String why) {
        response.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
    }

    @Override
    public void watchApplication(WatchApplicationRequest request, StreamObserver<ApplicationEvent> response) {
        String appId = request.getAppId();
        EventStream stream = new EventStream((ServerCallStreamObserver<ApplicationEvent>) response);
        master.onLoop(leader -> {
            if (leader == null) {
                stream.fail(Status.UNAVAILABLE.withDescription("not the leader"));
                return;
            }
            stream.epoch = leader.epoch();
            try {
                leader.watchApplication(appId, stream);
            } catch (IllegalArgumentException e) {
                stream.fail(Status.NOT_FOUND.withDescription(e.getMessage()));
                return;
            }
            stream.whenCancelled(() -> master.onLoop(current -> {
                if (current != null) {
                    current.unwatchApplication(appId, stream);
                }
            }, () -> { }));
        }, () -> stream.fail(Status.UNAVAILABLE.withDescription("the master is shutting down")));
    }

    /**
     * A driver's {@code WatchApplication} stream, as the term's {@link ApplicationWatcher}: each notice
     * becomes an event stamped with the term's epoch. Written on the master's loop only; a stream the
     * driver cancelled takes no more writes.
     */
    private static final class EventStream implements ApplicationWatcher {

        private final ServerCallStreamObserver<ApplicationEvent> out;
        private volatile boolean cancelled;
        private volatile Runnable onCancel = () -> { };
        /** Set on the loop before the stream is handed to the term. */
        private long epoch;

        EventStream(ServerCallStreamObserver<ApplicationEvent> out) {
            this.out = out;
            // Must be set before the call handler returns; later writes to a cancelled call are then dropped.
            out.setOnCancelHandler(() -> {
                cancelled = true;
                onCancel.run();
            });
        }

        void whenCancelled(Runnable action) {
            onCancel = action;
            if (cancelled) {
                action.run();
            }
        }

        @Override
        public void notice(ApplicationNotice notice) {
            write(() -> out.onNext(MasterMessages.event(epoch, notice)));
        }

        @Override
        public void applicationEnded() {
            write(out::onCompleted);
        }

        @Override
        public void leadershipEnded() {
            fail(Status.UNAVAILABLE.withDescription("not the leader any more"));
        }

        void fail(Status status) {
            write(() -> out.onError(status.asRuntimeException()));
        }

        private void write(Runnable step) {
            if (cancelled) {
                return;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                cancelled = true;   // the call ended under us (the driver went away): nothing more to write
            }
        }
    }

    private <T> void onLeader(StreamObserver<T> response, Function<Leadership, T> action) {
        master.onLoop(leader -> {
            if (leader == null) {
                response.onError(Status.UNAVAILABLE.withDescription("not the leader").asRuntimeException());
                return;
            }
            T result;
            try {
                result = action.apply(leader);
            } catch (IllegalArgumentException e) {
                response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
                return;
            } catch (NotLeaderException e) {
                response.onError(Status.UNAVAILABLE.withDescription("not the leader any more").asRuntimeException());
                return;
            } catch (RuntimeException e) {
                master.logUnexpected(e);
                response.onError(Status.INTERNAL.withDescription("the master failed: " + e).asRuntimeException());
                return;
            }
            response.onNext(result);
            response.onCompleted();
        }, () -> response.onError(Status.UNAVAILABLE.withDescription("the master is shutting down").asRuntimeException()));
    }
}
