package io.ember.core.testing;

import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.KillExecutorsRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterApplicationResponse;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * A fake leader master as a driver sees it (the worker's tests have their own): a
 * {@code MasterService} on a real socket that records every call, stores a registered
 * application's node in ZooKeeper (as the real leader does before answering, so the driver can
 * create its node under it), and publishes itself as leader by writing its {@link LeaderInfo} at
 * {@code master/leader}.
 */
public final class TestingMaster extends MasterServiceGrpc.MasterServiceImplBase implements AutoCloseable {

    public final String masterId;
    public final long epoch;
    public final List<RegisterApplicationRequest> registrations = new CopyOnWriteArrayList<>();
    public final List<RequestTotalExecutorsRequest> totals = new CopyOnWriteArrayList<>();
    public final List<KillExecutorsRequest> kills = new CopyOnWriteArrayList<>();
    public final List<UnregisterApplicationRequest> unregistrations = new CopyOnWriteArrayList<>();
    /** The epoch its registration responses carry; its own unless a test makes it stale. */
    public volatile long responseEpoch;
    /** When set, every call is refused with it. */
    public volatile Status refusal;
    /** How many calls were refused. */
    public final AtomicInteger refusals = new AtomicInteger();

    private final CuratorFramework zookeeper;
    private final ClusterPaths paths;
    private final RpcServer server;
    private final AtomicInteger applications = new AtomicInteger();

    public TestingMaster(String masterId, long epoch, CuratorFramework zookeeper, ClusterPaths paths,
                         Optional<String> secret) {
        this.masterId = masterId;
        this.epoch = epoch;
        this.responseEpoch = epoch;
        this.zookeeper = zookeeper;
        this.paths = paths;
        this.server = RpcServer.start("testing-" + masterId, "127.0.0.1", 0, List.of(this), secret);
    }

    public String address() {
        return server.address();
    }

    /** Writes this master's record at {@code master/leader} (replacing the previous leader's). */
    public void publishAsLeader() throws Exception {
        byte[] record = new LeaderInfo(masterId, address(), epoch).encode();
        zookeeper.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                .forPath(paths.leader(), record);
    }

    /** The total of the last RequestTotalExecutors, else of the last registration, else -1. */
    public int lastRequestedTotal() {
        if (!totals.isEmpty()) {
            return totals.get(totals.size() - 1).getTotal();
        }
        return registrations.isEmpty() ? -1 : registrations.get(registrations.size() - 1).getRequestedExecutors();
    }

    @Override
    public void registerApplication(RegisterApplicationRequest request,
            StreamObserver<RegisterApplicationResponse> response) {
        if (refused(response)) {
            return;
        }
        registrations.add(request);
        String appId = request.getApp().getAppId().isEmpty()
                ? "app-" + masterId + "-" + applications.incrementAndGet()
                : request.getApp().getAppId();
        try {
            zookeeper.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(paths.app(appId), request.getApp().toByteArray());
        } catch (Exception e) {
            response.onError(Status.INTERNAL.withDescription("cannot store the application: " + e).asRuntimeException());
            return;
        }
        response.onNext(RegisterApplicationResponse.newBuilder().setAppId(appId).setEpoch(responseEpoch).build());
        response.onCompleted();
    }

    @Override
    public void requestTotalExecutors(RequestTotalExecutorsRequest request, StreamObserver<Ack> response) {
        if (!refused(response)) {
            totals.add(request);
            ack(response);
        }
    }

    @Override
    public void killExecutors(KillExecutorsRequest request, StreamObserver<Ack> response) {
        if (!refused(response)) {
            kills.add(request);
            ack(response);
        }
    }

    @Override
    public void unregisterApplication(UnregisterApplicationRequest request, StreamObserver<Ack> response) {
        if (!refused(response)) {
            unregistrations.add(request);
            ack(response);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private boolean refused(StreamObserver<?> response) {
        Status status = refusal;
        if (status != null) {
            refusals.incrementAndGet();
            response.onError(status.asRuntimeException());
            return true;
        }
        return false;
    }

    private static void ack(StreamObserver<Ack> response) {
        response.onNext(Ack.getDefaultInstance());
        response.onCompleted();
    }
}
