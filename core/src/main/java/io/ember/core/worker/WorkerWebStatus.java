package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.worker.web.WorkerApi;
import io.ember.core.worker.web.WorkerStatus;
import io.ember.core.worker.web.WorkerStatusSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The worker as its web server shows it: its executors' snapshots ({@link WorkerExecutors}) turned
 * into the REST API's records ({@link WorkerApi}), the leader it follows, its shuffle service and its
 * counts; and its executors' log files, looked up in its own records.
 *
 * <p>Thread-safe: called on the web server's threads.
 */
final class WorkerWebStatus implements WorkerStatusSource {

    private final WorkerInfo info;
    private final Path workDir;
    private final WorkerExecutors executors;
    private final Supplier<Optional<LeaderInfo>> leader;
    private final Optional<ShuffleServiceHost> shuffleService;
    private final BooleanSupplier zooKeeperConnected;
    private final Supplier<Map<String, Long>> rpcErrors;
    private final Supplier<String> uiUrl;

    /**
     * @param leader who leads, as the worker last saw it
     * @param shuffleService the shuffle service it embeds, if any
     * @param rpcErrors the calls its RPC server ended with a status other than OK, by code
     * @param uiUrl its web UI's base URL
     */
    WorkerWebStatus(WorkerInfo info, Path workDir, WorkerExecutors executors, Supplier<Optional<LeaderInfo>> leader,
                    Optional<ShuffleServiceHost> shuffleService, BooleanSupplier zooKeeperConnected,
                    Supplier<Map<String, Long>> rpcErrors, Supplier<String> uiUrl) {
        this.info = requireNonNull(info, "info is null");
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.executors = requireNonNull(executors, "executors is null");
        this.leader = requireNonNull(leader, "leader is null");
        this.shuffleService = requireNonNull(shuffleService, "shuffleService is null");
        this.zooKeeperConnected = requireNonNull(zooKeeperConnected, "zooKeeperConnected is null");
        this.rpcErrors = requireNonNull(rpcErrors, "rpcErrors is null");
        this.uiUrl = requireNonNull(uiUrl, "uiUrl is null");
    }

    @Override
    public WorkerStatus status() {
        List<WorkerApi.Executor> list = new ArrayList<>();
        int coresUsed = 0;
        long memoryUsed = 0;
        int live = 0;
        for (ExecutorRunner.Snapshot snapshot : executors.snapshots()) {
            ExecutorAssignment executor = snapshot.executor();
            if (snapshot.endedAt().isEmpty()) {
                coresUsed += executor.cores();
                memoryUsed += executor.memoryBytes();
                live++;
            }
            list.add(new WorkerApi.Executor(executor.executorId(), executor.appId(), executor.cores(),
                    executor.memoryBytes() >> 20, snapshot.state(), snapshot.pid(),
                    snapshot.launchedAt().toEpochMilli(), snapshot.endedAt().map(t -> t.toEpochMilli()).orElse(0L),
                    snapshot.exitCode(), snapshot.stdout().isPresent()));
        }
        Optional<LeaderInfo> master = leader.get();
        WorkerApi.Worker worker = new WorkerApi.Worker(info.workerId(), info.host(), info.rpcPort(), info.cores(),
                coresUsed, info.memoryBytes() >> 20, memoryUsed >> 20, live, info.shufflePort(),
                shuffleService.isPresent(), master.map(LeaderInfo::masterId).orElse(""),
                master.map(LeaderInfo::address).orElse(""), master.map(LeaderInfo::uiUrl).orElse(""), uiUrl.get(),
                workDir.toString());
        Map<String, Long> ended = new TreeMap<>();
        executors.endedCounts().forEach((status, count) -> ended.put(status.name().toLowerCase(Locale.ROOT), count));
        WorkerStatus.Activity activity = new WorkerStatus.Activity(executors.launchedCount(), ended,
                shuffleService.map(service -> service.applications().size()).orElse(-1),
                zooKeeperConnected.getAsBoolean(), rpcErrors.get());
        return new WorkerStatus(worker, list, activity);
    }

    @Override
    public Optional<Path> logFile(String appId, String executorId, String stream) {
        return executors.snapshot(appId, executorId).flatMap(snapshot -> switch (stream) {
            case "stdout" -> snapshot.stdout();
            case "stderr" -> snapshot.stderr();
            default -> Optional.empty();
        });
    }
}
