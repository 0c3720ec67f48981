package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterSnapshot;
import io.ember.core.coordination.LeaderElection;
import io.ember.core.coordination.Registrations;
import io.ember.core.rpc.Deadlines;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcErrors;
import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.QueueStatus;
import io.ember.core.rpc.proto.StoredApplication;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.ember.core.rpc.proto.WorkerSpec;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One term of leadership: the state a leader rebuilt from ZooKeeper when it was elected, and every
 * decision it makes until it loses leadership. A new term gets a new instance, so nothing a deposed
 * term left in flight can touch its successor's state; every command it sends carries its epoch,
 * and every ZooKeeper write is fenced by it.
 *
 * <p>Confined to the master's event loop: every method runs there.
 */
final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final DateTimeFormatter APP_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Duration LAUNCH_RETRY_DELAY = Duration.ofSeconds(1);

    private final long epoch;
    private final MasterOptions options;
    private final LeaderElection election;
    private final RpcChannels workers;
    private final EventLoop loop;
    private final Clock clock;
    private final MasterState state;
    private final Map<String, ApplicationSpec> specs = new HashMap<>();
    private final Set<String> awaitingWorkers = new HashSet<>();
    private final RelaunchBackoff backoff;
    private boolean recovering;
    private boolean retryScheduled;
    private boolean ended;
    private long appCounter;

    Leadership(long epoch, MasterOptions options, LeaderElection election, SchedulingPolicy policy, RpcChannels workers,
               EventLoop loop, Clock clock) {
        this.epoch = epoch;
        this.options = requireNonNull(options, "options is null");
        this.election = requireNonNull(election, "election is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.loop = requireNonNull(loop, "loop is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.state = new MasterState(policy.createQueue(SchedulingLevel.APPLICATIONS), options.placement());
        this.backoff = new RelaunchBackoff(clock);
    }

    /** Moves every application into a queue of the new policy and offers the free cores by it. */
    void replacePolicy(SchedulingPolicy policy) {
        state.replaceQueue(policy.createQueue(SchedulingLevel.APPLICATIONS));
        scheduleExecutors();
    }

    long epoch() {
        return epoch;
    }

    /**
     * Rebuilds the cluster from ZooKeeper's record: workers, applications (those whose driver is gone
     * are ended), executors. Placement waits until every known worker has re-registered (reporting
     * executors still launching) or the recovery grace has passed.
     */
    void recover(ClusterSnapshot snapshot) {
        long started = System.nanoTime();
        for (Map.Entry<String, byte[]> worker : snapshot.workers().entrySet()) {
            decode(() -> StoredWorker.parseFrom(worker.getValue()), "worker " + worker.getKey())
                    .map(StoredWorker::getSpec)
                    .ifPresent(spec -> {
                        state.addWorker(toInfo(spec));
                        awaitingWorkers.add(spec.getWorkerId());
                    });
        }
        List<String> orphaned = new ArrayList<>();
        for (Map.Entry<String, byte[]> app : snapshot.apps().entrySet()) {
            StoredApplication stored = decode(() -> StoredApplication.parseFrom(app.getValue()), "application " + app.getKey())
                    .orElse(null);
            if (stored == null) {
                continue;
            }
            ApplicationSpec spec = stored.getSpec();
            specs.put(app.getKey(), spec);
            appCounter = Math.max(appCounter, stored.getRegistrationOrder() + 1);
            state.registerApplication(app.getKey(), spec.getName(), spec.getQueue(), spec.getCoresPerExecutor(),
                    spec.getMemoryPerExecutorBytes(), stored.getRequestedExecutors());
            if (!snapshot.liveDrivers().contains(app.getKey())) {
                orphaned.add(app.getKey());
            }
        }
        int executors = 0;
        for (Map.Entry<String, Map<String, byte[]>> app : snapshot.executors().entrySet()) {
            for (Map.Entry<String, byte[]> executor : app.getValue().entrySet()) {
                StoredExecutor stored = decode(() -> StoredExecutor.parseFrom(executor.getValue()),
                        "executor " + app.getKey() + "/" + executor.getKey()).orElse(null);
                if (stored != null && knows(stored.getSpec())) {
                    state.addExecutor(toRecord(stored.getSpec()));
                    executors++;
                }
            }
        }
        for (String appId : orphaned) {
            endApplication(appId, "its driver went away while no master led");
        }
        recovering = !awaitingWorkers.isEmpty();
        LOG.info("Leading cluster '{}' with epoch {}: recovered {} worker(s), {} application(s), {} executor(s) in {} ms",
                options.cluster(), epoch, state.workers().size(), state.applications().size(), executors,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (recovering) {
            loop.schedule(this::endRecovery, options.recoveryGrace());
        } else {
            scheduleExecutors();
        }
    }

    void end() {
        ended = true;
    }

    boolean isEnded() {
        return ended;
    }

    // ---- requests (from MasterRpc, on the loop)

    long registerWorker(WorkerSpec spec, List<ExecutorState> reported) {
        boolean recoveredWorker = awaitingWorkers.contains(spec.getWorkerId());
        state.addWorker(toInfo(spec));
        Set<String> running = new HashSet<>();
        for (ExecutorState executor : reported) {
            if (isAlive(executor.getStatus()) && knows(executor.getSpec())) {
                state.addExecutor(toRecord(executor.getSpec()));
                running.add(executor.getSpec().getAppId() + "/" + executor.getSpec().getExecutorId());
            }
        }
        if (recoveredWorker) {
            // After a takeover the worker's own report is the truth about what it runs: forget what
            // the registry still showed but the worker no longer has.
            for (ApplicationRecord app : List.copyOf(state.applications())) {
                for (ExecutorRecord executor : List.copyOf(app.executors().values())) {
                    if (executor.workerId().equals(spec.getWorkerId())
                            && !running.contains(executor.appId() + "/" + executor.executorId())) {
                        state.removeExecutor(executor.appId(), executor.executorId());
                    }
                }
            }
        }
        LOG.info("Worker {} at {}:{} registered with {} core(s), {} MB and {} running executor(s)",
                spec.getWorkerId(), spec.getHost(), spec.getRpcPort(), spec.getCores(), spec.getMemoryBytes() >> 20,
                running.size());
        if (awaitingWorkers.remove(spec.getWorkerId()) && awaitingWorkers.isEmpty()) {
            endRecovery();
        } else {
            scheduleExecutors();
        }
        return epoch;
    }

    void workerGone(String workerId) {
        if (!state.hasWorker(workerId)) {
            return;
        }
        List<ExecutorRecord> lost = state.removeWorker(workerId);
        awaitingWorkers.remove(workerId);
        if (lost.isEmpty()) {
            LOG.info("Worker {} left the cluster", workerId);
        } else {
            LOG.warn("Worker {} went away; {} executor(s) lost with it", workerId, lost.size());
        }
        if (recovering && awaitingWorkers.isEmpty()) {
            endRecovery();
        } else {
            scheduleExecutors();
        }
    }

    void executorStateChanged(String workerId, ExecutorState executor) {
        ExecutorSpec spec = executor.getSpec();
        if (isAlive(executor.getStatus())) {
            return;
        }
        state.removeExecutor(spec.getAppId(), spec.getExecutorId()).ifPresent(gone -> {
            if (executor.getStatus() == ExecutorStatus.FAILED) {
                LOG.warn("Executor {} of {} on worker {} failed with exit code {}{}", spec.getExecutorId(),
                        spec.getAppId(), workerId, executor.getExitCode(),
                        executor.getMessage().isEmpty() ? "" : ": " + executor.getMessage());
                Duration delay = backoff.failed(spec.getAppId());
                if (backoff.failuresInARow(spec.getAppId()) == RelaunchBackoff.ALARM_AFTER) {
                    LOG.error("The executors of {} have failed {} times in a row without one starting; still retrying "
                            + "every {} s at most. Their stdout and stderr are in the workers' work directories.",
                            spec.getAppId(), RelaunchBackoff.ALARM_AFTER, RelaunchBackoff.MAX_DELAY.toSeconds());
                }
                if (!delay.isZero()) {
                    LOG.info("Relaunching executors of {} in {} ms ({} failures in a row)", spec.getAppId(),
                            delay.toMillis(), backoff.failuresInARow(spec.getAppId()));
                    loop.schedule(this::scheduleExecutors, delay);
                }
            } else {
                LOG.info("Executor {} of {} on worker {} {} (exit code {})", spec.getExecutorId(), spec.getAppId(),
                        workerId, executor.getStatus().name().toLowerCase(java.util.Locale.ROOT), executor.getExitCode());
            }
            scheduleExecutors();
        });
    }

    /** An executor registered itself (its process really runs): its application can start executors. */
    void executorRegistered(String appId) {
        backoff.succeeded(appId);
    }

    /** The executor's registry node vanished: its process is gone even if its worker did not say so. */
    void executorUnregistered(String appId, String executorId) {
        state.removeExecutor(appId, executorId).ifPresent(gone -> {
            LOG.info("Executor {} of {} left the registry", executorId, appId);
            scheduleExecutors();
        });
    }

    String registerApplication(ApplicationSpec requested, int requestedExecutors) {
        String appId = requested.getAppId().isEmpty() ? newApplicationId() : requested.getAppId();
        ApplicationSpec spec = requested.toBuilder().setAppId(appId).build();
        boolean known = state.application(appId).isPresent();
        long order = known ? state.application(appId).orElseThrow().priority() : appCounter++;
        persist(spec, requestedExecutors, order);
        specs.put(appId, spec);
        state.registerApplication(appId, spec.getName(), spec.getQueue(), spec.getCoresPerExecutor(),
                spec.getMemoryPerExecutorBytes(), requestedExecutors);
        LOG.info("Application {} ('{}', queue {}) {} by its driver at {}: {} executor(s) of {} core(s), {} MB",
                appId, spec.getName(), spec.getQueue(), known ? "re-registered" : "registered", spec.getDriverAddress(),
                requestedExecutors, spec.getCoresPerExecutor(), spec.getMemoryPerExecutorBytes() >> 20);
        scheduleExecutors();
        return appId;
    }

    void requestTotalExecutors(String appId, int total) {
        ApplicationRecord app = requireApplication(appId);
        if (app.requestedExecutors() != total) {
            persist(specs.get(appId), total, app.priority());
            state.requestTotalExecutors(appId, total);
            scheduleExecutors();
        }
    }

    void killExecutors(String appId, List<String> executorIds, OptionalInt total) {
        ApplicationRecord app = requireApplication(appId);
        List<ExecutorRecord> killed = state.killExecutors(appId, executorIds, total);
        persist(specs.get(appId), app.requestedExecutors(), app.priority());
        for (ExecutorRecord executor : killed) {
            state.worker(executor.workerId()).ifPresent(worker -> send(worker, "kill executor " + executor.executorId(),
                    (stub, done) -> stub.killExecutor(KillExecutorRequest.newBuilder().setEpoch(epoch)
                            .setAppId(appId).setExecutorId(executor.executorId()).build(), done)));
        }
        scheduleExecutors();
    }

    void unregisterApplication(String appId) {
        endApplication(appId, "unregistered by its driver");
    }

    void endApplication(String appId, String reason) {
        if (state.application(appId).isEmpty()) {
            return;
        }
        List<ExecutorRecord> stopped = state.removeApplication(appId);
        specs.remove(appId);
        backoff.forget(appId);
        for (WorkerInfo worker : state.workers()) {
            send(worker, "finish application " + appId, (stub, done) -> stub.applicationFinished(
                    ApplicationFinishedRequest.newBuilder().setEpoch(epoch).setAppId(appId).build(), done));
        }
        Registrations.removeApplication(election, appId);
        LOG.info("Application {} ended ({}); stopping its {} executor(s)", appId, reason, stopped.size());
        scheduleExecutors();
    }

    ClusterDescription describe() {
        ClusterDescription.Builder description = ClusterDescription.newBuilder()
                .setMasterId(options.masterId())
                .setEpoch(epoch);
        for (WorkerInfo worker : state.workers()) {
            description.addWorkers(toSpec(worker));
        }
        for (ApplicationRecord app : state.applications()) {
            ApplicationSpec spec = specs.get(app.appId());
            if (spec != null) {
                description.addApplications(spec);
            }
            description.putRequestedExecutors(app.appId(), app.requestedExecutors());
            for (ExecutorRecord executor : app.executors().values()) {
                description.addExecutors(ExecutorState.newBuilder()
                        .setSpec(toSpec(executor, spec))
                        .setStatus(ExecutorStatus.RUNNING));
            }
        }
        for (GroupStatus queue : state.queues()) {
            description.addQueues(toStatus(queue));
        }
        return description.build();
    }

    List<WorkerInfo> workers() {
        return state.workers();
    }

    /** The application scheduler's queues, sorted by name (see {@link io.ember.api.cluster.Master#queues()}). */
    List<GroupStatus> queues() {
        return state.queues();
    }

    List<io.ember.api.cluster.ApplicationInfo> applications() {
        List<io.ember.api.cluster.ApplicationInfo> apps = new ArrayList<>();
        for (ApplicationRecord app : state.applications()) {
            apps.add(new io.ember.api.cluster.ApplicationInfo(app.appId(), app.appName(), app.group(),
                    app.coresPerExecutor(), app.memoryPerExecutor()));
        }
        return apps;
    }

    // ---- placement and launching

    private void endRecovery() {
        if (!recovering || ended) {
            return;
        }
        recovering = false;
        if (!awaitingWorkers.isEmpty()) {
            LOG.warn("{} worker(s) did not re-register within {} ms of the takeover: {}", awaitingWorkers.size(),
                    options.recoveryGrace().toMillis(), awaitingWorkers);
            awaitingWorkers.clear();
        }
        scheduleExecutors();
    }

    private void scheduleExecutors() {
        if (recovering || ended) {
            return;
        }
        for (ExecutorRecord executor : state.schedule(backoff::mayLaunch)) {
            ApplicationSpec app = specs.get(executor.appId());
            WorkerInfo worker = state.worker(executor.workerId()).orElseThrow();
            LOG.info("Launching executor {} of {} on worker {} ({} core(s), {} MB)", executor.executorId(),
                    executor.appId(), worker.workerId(), executor.cores(), executor.memoryBytes() >> 20);
            LaunchExecutorRequest request = LaunchExecutorRequest.newBuilder()
                    .setEpoch(epoch)
                    .setExecutor(toSpec(executor, app))
                    .setApp(app)
                    .build();
            send(worker, "launch executor " + executor.executorId() + " of " + executor.appId(),
                    (stub, done) -> stub.launchExecutor(request, done),
                    failure -> {
                        state.removeExecutor(executor.appId(), executor.executorId());
                        retryPlacementLater();
                    });
        }
    }

    private void retryPlacementLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            loop.schedule(() -> {
                retryScheduled = false;
                scheduleExecutors();
            }, LAUNCH_RETRY_DELAY);
        }
    }

    private interface WorkerCall {
        void call(WorkerServiceGrpc.WorkerServiceStub stub, StreamObserver<Ack> done);
    }

    private void send(WorkerInfo worker, String what, WorkerCall call) {
        send(worker, what, call, failure -> { });
    }

    /** Sends a command to a worker without blocking the loop; a failure is handled back on the loop. */
    private void send(WorkerInfo worker, String what, WorkerCall call, Consumer<Throwable> onFailure) {
        String address = worker.host() + ":" + worker.rpcPort();
        WorkerServiceGrpc.WorkerServiceStub stub = Deadlines.withTimeout(
                WorkerServiceGrpc.newStub(workers.channel(address)), options.rpcTimeout());
        call.call(stub, new StreamObserver<>() {
            @Override
            public void onNext(Ack value) {
            }

            @Override
            public void onError(Throwable t) {
                loop.execute(() -> {
                    if (ended) {
                        return;
                    }
                    LOG.warn("Could not {}: {}", what, RpcErrors.describe("worker " + worker.workerId(), address, t,
                            options.rpcTimeout()));
                    onFailure.accept(t);
                });
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    // ---- helpers

    private void persist(ApplicationSpec spec, int requestedExecutors, long order) {
        Registrations.putApplication(election, spec.getAppId(), StoredApplication.newBuilder()
                .setSpec(spec)
                .setRequestedExecutors(requestedExecutors)
                .setRegistrationOrder(order)
                .build()
                .toByteArray());
    }

    private String newApplicationId() {
        return "app-" + APP_ID_TIME.format(clock.instant()) + "-" + String.format("%04d", appCounter);
    }

    private ApplicationRecord requireApplication(String appId) {
        return state.application(appId).orElseThrow(() -> new IllegalArgumentException("unknown application " + appId));
    }

    private boolean knows(ExecutorSpec spec) {
        return state.application(spec.getAppId()).isPresent() && state.hasWorker(spec.getWorkerId());
    }

    private static boolean isAlive(ExecutorStatus status) {
        return status == ExecutorStatus.LAUNCHING || status == ExecutorStatus.RUNNING;
    }

    private static WorkerInfo toInfo(WorkerSpec spec) {
        return new WorkerInfo(spec.getWorkerId(), spec.getHost(), spec.getRpcPort(), spec.getShufflePort(),
                spec.getCores(), spec.getMemoryBytes());
    }

    private static WorkerSpec toSpec(WorkerInfo info) {
        return WorkerSpec.newBuilder()
                .setWorkerId(info.workerId())
                .setHost(info.host())
                .setRpcPort(info.rpcPort())
                .setShufflePort(info.shufflePort())
                .setCores(info.cores())
                .setMemoryBytes(info.memoryBytes())
                .build();
    }

    /** A queue's status for the wire; an unbounded maxShare ({@link Integer#MAX_VALUE}) is left absent. */
    private static QueueStatus toStatus(GroupStatus queue) {
        QueueStatus.Builder status = QueueStatus.newBuilder()
                .setName(queue.name())
                .setMode(queue.mode())
                .setWeight(queue.weight())
                .setMinShare(queue.minShare())
                .setRunning(queue.running())
                .setPending(queue.pending())
                .setApplications(queue.items());
        if (queue.maxShare() != Integer.MAX_VALUE) {
            status.setMaxShare(queue.maxShare());
        }
        return status.build();
    }

    private static ExecutorRecord toRecord(ExecutorSpec spec) {
        return new ExecutorRecord(spec.getAppId(), spec.getExecutorId(), spec.getWorkerId(), spec.getCores(),
                spec.getMemoryBytes());
    }

    private static ExecutorSpec toSpec(ExecutorRecord executor, ApplicationSpec app) {
        return ExecutorSpec.newBuilder()
                .setAppId(executor.appId())
                .setExecutorId(executor.executorId())
                .setWorkerId(executor.workerId())
                .setCores(executor.cores())
                .setMemoryBytes(executor.memoryBytes())
                .setDriverAddress(app == null ? "" : app.getDriverAddress())
                .build();
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> java.util.Optional<T> decode(Parser<T> parser, String what) {
        try {
            return java.util.Optional.of(parser.parse());
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("Ignoring the unreadable ZooKeeper record of {}: {}", what, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
