package io.ember.core.worker;

import io.ember.core.coordination.LeaderInfo;
import io.ember.core.executor.Poll;
import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.RegisterWorkerResponse;
import io.ember.core.rpc.proto.ReportExecutorStateRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake leader master: a real {@code MasterService} on a loopback port that accepts every
 * registration (answering with its epoch) and every executor report, and records them. It can be
 * told to refuse the next few registrations with UNAVAILABLE.
 */
final class TestingMaster implements AutoCloseable {

    private final String masterId;
    private final long epoch;
    private final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();
    private final List<ReportExecutorStateRequest> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger registrationsToRefuse = new AtomicInteger();
    private final AtomicInteger reportsToRefuse = new AtomicInteger();
    private volatile Status.Code reportRefusal = Status.Code.UNAVAILABLE;
    private final RpcServer server;

    TestingMaster(String masterId, long epoch, Optional<String> secret) {
        this.masterId = masterId;
        this.epoch = epoch;
        this.server = RpcServer.start("master", "127.0.0.1", 0, List.of(new Service()), secret);
    }

    /** What this master publishes in ZooKeeper to lead. */
    LeaderInfo leaderInfo() {
        return new LeaderInfo(masterId, server.address(), epoch);
    }

    long epoch() {
        return epoch;
    }

    /** Refuses the next {@code count} registrations with UNAVAILABLE. */
    void refuseRegistrations(int count) {
        registrationsToRefuse.set(count);
    }

    /** Refuses the next {@code count} executor reports with {@code code}. */
    void refuseReports(Status.Code code, int count) {
        reportRefusal = code;
        reportsToRefuse.set(count);
    }

    List<RegisterWorkerRequest> registrations() {
        return List.copyOf(registrations);
    }

    /** Waits for a registration of the worker; returns the latest. */
    RegisterWorkerRequest awaitRegistration(String workerId) {
        Poll.until(() -> latestRegistration(workerId).isPresent(),
                () -> "worker " + workerId + " to register with master " + masterId);
        return latestRegistration(workerId).orElseThrow();
    }

    private Optional<RegisterWorkerRequest> latestRegistration(String workerId) {
        List<RegisterWorkerRequest> of = registrations.stream()
                .filter(r -> r.getWorker().getWorkerId().equals(workerId)).toList();
        return of.isEmpty() ? Optional.empty() : Optional.of(of.get(of.size() - 1));
    }

    /** Every state reported for an executor, in order. */
    List<ExecutorState> reports(String appId, String executorId) {
        return reports.stream().map(ReportExecutorStateRequest::getState)
                .filter(s -> s.getSpec().getAppId().equals(appId) && s.getSpec().getExecutorId().equals(executorId))
                .toList();
    }

    List<ReportExecutorStateRequest> allReports() {
        return List.copyOf(reports);
    }

    /** Waits until the executor was reported with this status; returns that report. */
    ExecutorState awaitReport(String appId, String executorId, ExecutorStatus status) {
        Poll.until(() -> find(appId, executorId, status).isPresent(), () -> "executor " + executorId + " of " + appId
                + " reported " + status + " to master " + masterId + "; reports so far: "
                + reports(appId, executorId).stream().map(s -> s.getStatus() + "(" + s.getExitCode() + ")").toList());
        return find(appId, executorId, status).orElseThrow();
    }

    private Optional<ExecutorState> find(String appId, String executorId, ExecutorStatus status) {
        return reports(appId, executorId).stream().filter(s -> s.getStatus() == status).findFirst();
    }

    @Override
    public void close() {
        server.close(Duration.ZERO);
    }

    private final class Service extends MasterServiceGrpc.MasterServiceImplBase {

        @Override
        public void registerWorker(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> response) {
            if (registrationsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.onError(Status.UNAVAILABLE.withDescription("not the leader").asRuntimeException());
                return;
            }
            registrations.add(request);
            response.onNext(RegisterWorkerResponse.newBuilder().setEpoch(epoch).setMasterId(masterId).build());
            response.onCompleted();
        }

        @Override
        public void reportExecutorState(ReportExecutorStateRequest request, StreamObserver<Ack> response) {
            if (reportsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.onError(Status.fromCode(reportRefusal).withDescription("refused by the test")
                        .asRuntimeException());
                return;
            }
            reports.add(request);
            response.onNext(Ack.getDefaultInstance());
            response.onCompleted();
        }
    }
}
