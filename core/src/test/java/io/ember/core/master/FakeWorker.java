package io.ember.core.master;

import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.ember.core.rpc.proto.WorkerSpec;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A worker that records the commands it gets and launches nothing; a real gRPC server on 127.0.0.1. */
final class FakeWorker extends WorkerServiceGrpc.WorkerServiceImplBase implements AutoCloseable {

    final List<LaunchExecutorRequest> launches = new CopyOnWriteArrayList<>();
    final List<KillExecutorRequest> kills = new CopyOnWriteArrayList<>();
    final List<ApplicationFinishedRequest> finished = new CopyOnWriteArrayList<>();
    private final String id;
    private final int cores;
    private final RpcServer server;

    FakeWorker(String id, int cores) {
        this.id = id;
        this.cores = cores;
        this.server = RpcServer.start("fake-" + id, "127.0.0.1", 0, List.of(this), Optional.empty());
    }

    WorkerSpec spec() {
        return WorkerSpec.newBuilder().setWorkerId(id).setHost("127.0.0.1").setRpcPort(server.port())
                .setCores(cores).setMemoryBytes(64L << 30).build();
    }

    @Override
    public void launchExecutor(LaunchExecutorRequest request, StreamObserver<Ack> response) {
        launches.add(request);
        ok(response);
    }

    @Override
    public void killExecutor(KillExecutorRequest request, StreamObserver<Ack> response) {
        kills.add(request);
        ok(response);
    }

    @Override
    public void applicationFinished(ApplicationFinishedRequest request, StreamObserver<Ack> response) {
        finished.add(request);
        ok(response);
    }

    private static void ok(StreamObserver<Ack> response) {
        response.onNext(Ack.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void close() {
        server.close();
    }
}
