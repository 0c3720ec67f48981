package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.master.web.MasterApi;
import io.ember.core.master.web.MasterStatus;
import io.ember.core.master.web.MasterStatusSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The master as its web server shows it: the leader's {@link ClusterOverview} (asked of the event
 * loop, once per request), or on a standby who leads, turned into the REST API's records
 * ({@link MasterApi}), with the process's counts.
 *
 * <p>Thread-safe: called on the web server's threads.
 */
final class MasterWebStatus implements MasterStatusSource {

    /** What the web server needs of the master. */
    interface Master {
        String masterId();

        String clusterName();

        /** Where its RPC server is reached. */
        String address();

        /** The ZooKeeper connect string it uses. */
        String zooKeeper();

        /** Its web UI's base URL; empty for none (yet). */
        String uiUrl();

        /** The leader's overview, asked of the loop; empty when this master does not lead. */
        Optional<ClusterOverview> overview();

        /** Who leads, as this master last saw it in ZooKeeper. */
        Optional<LeaderInfo> leader();

        /** The calls its RPC server ended with a status other than OK, by code. */
        Map<String, Long> rpcErrors();
    }

    private final Master master;
    private final MasterCounters counters;
    private final BooleanSupplier zooKeeperConnected;
    private final Clock clock;

    MasterWebStatus(Master master, MasterCounters counters, BooleanSupplier zooKeeperConnected, Clock clock) {
        this.master = requireNonNull(master, "master is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.zooKeeperConnected = requireNonNull(zooKeeperConnected, "zooKeeperConnected is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public MasterStatus status() {
        Optional<ClusterOverview> overview = master.overview();
        MasterCounters.Counts counts = counters.counts();
        MasterStatus.Activity activity = new MasterStatus.Activity(counts.leaderships(), counts.executorsLaunched(),
                counts.executorsFailed(), counts.executorRequests(), counts.executorKills(),
                zooKeeperConnected.getAsBoolean(), master.rpcErrors());
        if (overview.isEmpty()) {
            Optional<LeaderInfo> leader = master.leader();
            MasterApi.Master standby = new MasterApi.Master(master.masterId(), "STANDBY",
                    leader.map(LeaderInfo::epoch).orElse(0L), master.clusterName(), master.address(),
                    master.zooKeeper(), leader.map(LeaderInfo::masterId).orElse(""),
                    leader.map(LeaderInfo::address).orElse(""), leader.map(LeaderInfo::uiUrl).orElse(""),
                    master.uiUrl());
            return new MasterStatus(standby, List.of(), List.of(), List.of(), activity);
        }
        return leaderStatus(overview.get(), activity, clock.millis());
    }

    private MasterStatus leaderStatus(ClusterOverview overview, MasterStatus.Activity activity, long now) {
        MasterApi.Master self = new MasterApi.Master(master.masterId(), "LEADER", overview.epoch(),
                master.clusterName(), master.address(), master.zooKeeper(), master.masterId(), master.address(),
                master.uiUrl(), master.uiUrl());
        Map<String, String> hosts = new HashMap<>();
        Map<String, Integer> executorsPerWorker = new HashMap<>();
        for (ClusterOverview.Worker worker : overview.workers()) {
            hosts.put(worker.info().workerId(), worker.info().host());
        }
        List<MasterApi.Application> apps = new ArrayList<>();
        for (ClusterOverview.Application app : overview.applications()) {
            List<MasterApi.Executor> executors = new ArrayList<>();
            int cores = 0;
            for (ExecutorRecord executor : app.executors()) {
                executorsPerWorker.merge(executor.workerId(), 1, Integer::sum);
                cores += executor.cores();
                executors.add(new MasterApi.Executor(executor.executorId(), executor.workerId(),
                        hosts.getOrDefault(executor.workerId(), ""), executor.cores(), executor.memoryBytes() >> 20,
                        app.registeredExecutors().contains(executor.executorId()) ? "RUNNING" : "LAUNCHING"));
            }
            long submitted = app.registeredAt().toEpochMilli();
            apps.add(new MasterApi.Application(app.appId(), app.name(), app.queue(), app.state().name(), cores,
                    app.description().map(ApplicationDescription::coresPerExecutor).orElse(0),
                    app.description().map(d -> d.memoryPerExecutorBytes() >> 20).orElse(0L),
                    app.requestedExecutors(), executors, submitted, 0, Math.max(0, now - submitted), "",
                    app.description().map(ApplicationDescription::uiUrl).orElse("")));
        }
        for (EndedApplication ended : overview.ended()) {
            long submitted = ended.registeredAt().toEpochMilli();
            long end = ended.endedAt().toEpochMilli();
            apps.add(new MasterApi.Application(ended.appId(), ended.name(), ended.queue(), ended.outcome().name(), 0,
                    0, 0, 0, List.of(), submitted, end, Math.max(0, end - submitted), ended.reason(),
                    ended.uiUrl()));
        }
        List<MasterApi.Worker> workers = new ArrayList<>();
        for (ClusterOverview.Worker worker : overview.workers()) {
            workers.add(new MasterApi.Worker(worker.info().workerId(), worker.info().host(), worker.info().rpcPort(),
                    worker.state().name(), worker.info().cores(), worker.usedCores(), worker.info().memoryBytes() >> 20,
                    worker.usedMemoryBytes() >> 20, worker.info().shufflePort(),
                    executorsPerWorker.getOrDefault(worker.info().workerId(), 0),
                    worker.lastContact().map(t -> t.toEpochMilli()).orElse(0L), worker.uiUrl()));
        }
        List<MasterApi.Queue> queues = new ArrayList<>();
        for (GroupStatus queue : overview.queues()) {
            queues.add(new MasterApi.Queue(queue.name(), queue.mode(), queue.weight(), queue.minShare(),
                    queue.maxShare() == Integer.MAX_VALUE ? null : queue.maxShare(), queue.running(), queue.pending(),
                    queue.items()));
        }
        return new MasterStatus(self, workers, apps, queues, activity);
    }
}
