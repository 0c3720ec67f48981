package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.ember.api.cluster.WorkerInfo;
import io.ember.core.concurrent.EventLoop;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's knowledge of its workers: rebuilt from ZooKeeper's record when the term begins, then kept
 * by workers registering (with the executors they run) and going away. After a takeover nothing is
 * placed until every known worker has re-registered, reporting executors still launching, or the
 * recovery grace has passed, so nothing is launched twice.
 *
 * <p>Confined to the master's event loop.
 */
final class Recovery {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final MasterOptions options;
    private final MasterState state;
    private final Applications applications;
    private final ExecutorLaunches launches;
    private final BiConsumer<String, String> endApplication;
    private final Predicate<String> driverPresent;
    private final EventLoop loop;
    private final BooleanSupplier ended;
    private final Clock clock;
    private final Set<String> awaitingWorkers = new HashSet<>();
    private boolean recovering;

    /**
     * @param endApplication ends an application whose driver went away (its id, the reason)
     * @param driverPresent whether an application's driver node exists now
     * @param ended whether the term has ended (a pending end of recovery then does nothing)
     * @param clock when workers register
     */
    Recovery(MasterOptions options, MasterState state, Applications applications, ExecutorLaunches launches,
             BiConsumer<String, String> endApplication, Predicate<String> driverPresent, EventLoop loop,
             BooleanSupplier ended, Clock clock) {
        this.options = requireNonNull(options, "options is null");
        this.state = requireNonNull(state, "state is null");
        this.applications = requireNonNull(applications, "applications is null");
        this.launches = requireNonNull(launches, "launches is null");
        this.endApplication = requireNonNull(endApplication, "endApplication is null");
        this.driverPresent = requireNonNull(driverPresent, "driverPresent is null");
        this.loop = requireNonNull(loop, "loop is null");
        this.ended = requireNonNull(ended, "ended is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether the term still waits for known workers to re-register before it places anything. */
    boolean isRecovering() {
        return recovering;
    }

    /**
     * Rebuilds the cluster from ZooKeeper's record: workers, applications (those whose driver is still
     * gone after the grace are ended), executors. Placement waits until every known worker (those in
     * the record, and those the recorded executors run on) has re-registered, reporting executors
     * still launching, or the recovery grace has passed.
     *
     * <p>The record may be in flux: after an outage of the ensemble every process's session expired,
     * and each takes its node back moments after the quorum returns, maybe after this term began.
     */
    void recover(long epoch, RecoveredCluster cluster, long startedNanos) {
        for (WorkerInfo worker : cluster.workers()) {
            state.addWorker(worker);
            awaitingWorkers.add(worker.workerId());
        }
        List<String> orphaned = new ArrayList<>();
        for (RecoveredCluster.Application app : cluster.applications()) {
            applications.restore(app);
            if (!cluster.liveDrivers().contains(app.appId())) {
                orphaned.add(app.appId());
            }
        }
        int executors = 0;
        for (ExecutorRecord executor : cluster.executors()) {
            if (knows(executor)) {
                state.addExecutor(executor);
                executors++;
            } else if (state.application(executor.appId()).isPresent()) {
                // Its worker's node is away for a moment: wait for that worker too.
                awaitingWorkers.add(executor.workerId());
            }
        }
        // With applications stored but no worker in ZooKeeper (after an outage of the ensemble, the
        // workers' nodes come back a moment after the leader's), wait the grace too: a worker that
        // registers meanwhile reports the executors it runs before anything is placed.
        recovering = !awaitingWorkers.isEmpty() || !cluster.applications().isEmpty();
        if (!orphaned.isEmpty()) {
            loop.schedule(() -> endOrphans(orphaned), options.recoveryGrace());
        }
        LOG.info("Leading cluster '{}' with epoch {}: recovered {} worker(s), {} application(s), {} executor(s) "
                + "in {} ms",
                options.cluster(), epoch, state.workers().size(), state.applications().size(), executors,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        if (recovering) {
            loop.schedule(this::endRecovery, options.recoveryGrace());
        } else {
            launches.scheduleExecutors();
        }
    }

    /** A worker registered (or re-registered) with the executors it reports. */
    void registerWorker(WorkerRegistration registration) {
        WorkerInfo worker = registration.worker();
        boolean recoveredWorker = awaitingWorkers.contains(worker.workerId());
        state.addWorker(worker, registration.uiUrl(), clock.instant());
        Set<String> running = new HashSet<>();
        for (ExecutorReport report : registration.executors()) {
            ExecutorRecord executor = report.executor();
            if (report.status().isAlive() && knows(executor)) {
                state.addExecutor(executor);
                running.add(executor.appId() + "/" + executor.executorId());
            }
        }
        if (recoveredWorker) {
            // After a takeover the worker's own report is the truth about what it runs: forget what
            // the registry still showed but the worker no longer has.
            for (ApplicationRecord app : List.copyOf(state.applications())) {
                for (ExecutorRecord executor : List.copyOf(app.executors().values())) {
                    if (executor.workerId().equals(worker.workerId())
                            && !running.contains(executor.appId() + "/" + executor.executorId())) {
                        state.removeExecutor(executor.appId(), executor.executorId());
                    }
                }
            }
        }
        LOG.info("Worker {} at {} registered with {} core(s), {} MB and {} running executor(s)",
                worker.workerId(), HostAndPort.fromParts(worker.host(), worker.rpcPort()), worker.cores(),
                worker.memoryBytes() >> 20,
                running.size());
        if (awaitingWorkers.remove(worker.workerId()) && awaitingWorkers.isEmpty()) {
            endRecovery();
        } else {
            launches.scheduleExecutors();
        }
    }

    /** A worker's ZooKeeper node went away: its executors are lost with it and replaced elsewhere. */
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
            launches.scheduleExecutors();
        }
    }

    /** Ends the applications whose driver node is still away a grace after the takeover. */
    private void endOrphans(List<String> orphaned) {
        if (ended.getAsBoolean()) {
            return;
        }
        for (String appId : orphaned) {
            if (!driverPresent.test(appId)) {
                endApplication.accept(appId, "its driver went away while no master led");
            }
        }
    }

    private void endRecovery() {
        if (!recovering || ended.getAsBoolean()) {
            return;
        }
        recovering = false;
        if (!awaitingWorkers.isEmpty()) {
            LOG.warn("{} worker(s) did not re-register within {} ms of the takeover: {}", awaitingWorkers.size(),
                    options.recoveryGrace().toMillis(), awaitingWorkers);
            awaitingWorkers.clear();
        }
        launches.scheduleExecutors();
    }

    private boolean knows(ExecutorRecord executor) {
        return state.application(executor.appId()).isPresent() && state.hasWorker(executor.workerId());
    }
}
