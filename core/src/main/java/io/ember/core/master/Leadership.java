package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.Master;
import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One term of leadership: the state a leader rebuilt from ZooKeeper when it was elected, and every
 * decision it makes until it loses leadership. A new term gets a new instance, so nothing a deposed
 * term left in flight can touch its successor's state; every command it sends carries its epoch
 * (its {@link WorkerGateway} is the term's), and every ZooKeeper write is fenced by it.
 *
 * <p>The term is the entry point for requests and events, in the master's own types; the decisions
 * are its parts': {@link Recovery} (the snapshot, workers registering and going away),
 * {@link Applications} (their lifecycle) and {@link ExecutorLaunches} (placement, launches,
 * relaunches with back-off). No protobuf type appears here: {@link MasterRpc} and
 * {@link GrpcWorkerGateway} are the wire.
 *
 * <p>Confined to the master's event loop: every method runs there.
 */
final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** A driver's node must exist this many recovery graces after its application registered. */
    static final int DRIVER_NODE_WAIT_GRACES = 5;
    private static final String UNREGISTERED = "unregistered by its driver";

    private final long epoch;
    private final EventLoop loop;
    private final MasterState state;
    private final Applications applications;
    private final ExecutorLaunches launches;
    private final Recovery recovery;
    private final ApplicationWatchers watchers = new ApplicationWatchers();
    private final LiveNodes nodes;
    private final MasterCounters counters;
    private final Clock clock;
    /** How long a process's node may be away before the term believes the process gone. */
    private final Duration nodeGrace;
    /** How long after registering its application a driver's node must exist (a slow ZooKeeper is allowed for). */
    private final Duration driverNodeWait;
    private boolean ended;
    /** The connection to ZooKeeper broke: the term acts on nothing until it resumes or ends. */
    private boolean paused;
    /** What came due while paused, run when the term resumes. */
    private final List<Runnable> heldWhilePaused = new ArrayList<>();
    /** Applications whose driver node was seen going away: their end is the grace's to decide. */
    private final Set<String> driverNodesGone = new HashSet<>();

    Leadership(long epoch, MasterOptions options, ApplicationStore store, LiveNodes nodes, SchedulingPolicy policy,
               WorkerGateway workers, EventLoop loop, Clock clock) {
        this(epoch, options, store, nodes, policy, workers, loop, clock, new MasterCounters());
    }

    /** @param counters the master's counts, which this term adds to */
    Leadership(long epoch, MasterOptions options, ApplicationStore store, LiveNodes nodes, SchedulingPolicy policy,
               WorkerGateway workers, EventLoop loop, Clock clock, MasterCounters counters) {
        requireNonNull(options, "options is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        requireNonNull(store, "store is null");
        requireNonNull(workers, "workers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.epoch = epoch;
        this.loop = requireNonNull(loop, "loop is null");
        this.state = new MasterState(policy.createQueue(SchedulingLevel.APPLICATIONS), options.placement());
        WorkerCommands commands = new WorkerCommands(workers, loop, this::isEnded);
        this.applications = new Applications(state, store, commands, clock);
        this.launches = new ExecutorLaunches(state, commands, applications::description, loop, clock,
                this::placementPaused, watchers, counters);
        this.nodeGrace = options.recoveryGrace();
        this.driverNodeWait = options.recoveryGrace().multipliedBy(DRIVER_NODE_WAIT_GRACES);
        this.recovery = new Recovery(options, state, applications, launches, this::endApplication,
                nodes::hasDriver, loop, this::isEnded, clock);
    }

    /** Moves every application into a queue of the new policy and offers the free cores by it. */
    void replacePolicy(SchedulingPolicy policy) {
        loop.assertInLoop();
        state.replaceQueue(policy.createQueue(SchedulingLevel.APPLICATIONS));
        launches.scheduleExecutors();
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
        loop.assertInLoop();
        long started = System.nanoTime();
        recovery.recover(epoch, ZooKeeperRecords.read(snapshot), started);
    }

    /** The term is over: nothing it left in flight acts any more, and drivers following their applications are told. */
    void end() {
        loop.assertInLoop();
        if (!ended) {
            ended = true;
            watchers.leadershipEnded();
        }
    }

    boolean isEnded() {
        return ended;
    }

    /**
     * The election suspended the term (its connection to ZooKeeper broke): nothing is placed and no
     * timer acts until {@link #resume} or {@link #end}. Requests do not reach a paused term.
     */
    void pause() {
        loop.assertInLoop();
        paused = true;
    }

    /**
     * The election resumed the term in the same epoch: catches up with what ZooKeeper saw meanwhile
     * (a worker, executor or driver whose node went away is treated as if its removal had just been
     * seen: gone only if still away after the grace), runs what came due while paused, and places
     * again.
     */
    void resume(ClusterSnapshot now) {
        loop.assertInLoop();
        if (ended || !paused) {
            return;
        }
        paused = false;
        LOG.info("Resuming the term of epoch {}: catching up with what ZooKeeper saw while the connection was down",
                epoch);
        for (WorkerInfo worker : state.workers()) {
            if (!now.workers().containsKey(worker.workerId())) {
                workerNodeRemoved(worker.workerId());
            }
        }
        for (ApplicationRecord app : List.copyOf(state.applications())) {
            if (!now.liveDrivers().contains(app.appId())) {
                driverNodeRemoved(app.appId());
            }
            for (String executorId : List.copyOf(app.executors().keySet())) {
                if (!now.executorsOf(app.appId()).containsKey(executorId)) {
                    executorNodeRemoved(app.appId(), executorId);
                }
            }
        }
        List<Runnable> held = List.copyOf(heldWhilePaused);
        heldWhilePaused.clear();
        held.forEach(Runnable::run);
        launches.scheduleExecutors();
    }

    /** Nothing is placed while the term recovers or is paused, nor after it ended. */
    private boolean placementPaused() {
        return recovery.isRecovering() || paused || ended;
    }

    /** Runs {@code action} later on the loop: not at all once the term ended, on resuming if it is paused then. */
    private void scheduleActing(Runnable action, Duration delay) {
        loop.schedule(() -> {
            if (ended) {
                return;
            }
            if (paused) {
                heldWhilePaused.add(action);
            } else {
                action.run();
            }
        }, delay);
    }

    // ---- requests and events (from MasterRpc and MasterServer, on the loop)

    /** A worker registered with what it runs; returns the term's epoch, which fences its commands. */
    long registerWorker(WorkerRegistration registration) {
        loop.assertInLoop();
        recovery.registerWorker(registration);
        return epoch;
    }

    void workerGone(String workerId) {
        loop.assertInLoop();
        recovery.workerGone(workerId);
    }

    /**
     * A worker's node left the view. The worker is gone (and its executors with it) only if the node
     * is still away after the grace: a worker whose session expired in an outage of the ensemble takes
     * its node back moments after the quorum returns, and keeps its executors.
     */
    void workerNodeRemoved(String workerId) {
        loop.assertInLoop();
        afterGrace(() -> nodes.hasWorker(workerId), () -> workerGone(workerId),
                () -> LOG.info("Worker {} renewed its ZooKeeper session; it stays in the cluster", workerId));
    }

    /** An executor's node left the view: the executor is gone only if its node is still away after the grace. */
    void executorNodeRemoved(String appId, String executorId) {
        loop.assertInLoop();
        afterGrace(() -> nodes.hasExecutor(appId, executorId), () -> executorUnregistered(appId, executorId),
                () -> LOG.debug("Executor {} of {} renewed its ZooKeeper session", executorId, appId));
    }

    /** A driver's node left the view: its application ends only if the node is still away after the grace. */
    void driverNodeRemoved(String appId) {
        loop.assertInLoop();
        driverNodesGone.add(appId);
        afterGrace(() -> nodes.hasDriver(appId), () -> endApplication(appId, "its driver went away"),
                () -> LOG.info("The driver of {} renewed its ZooKeeper session", appId));
    }

    private void afterGrace(BooleanSupplier back, Runnable gone, Runnable stayed) {
        scheduleActing(() -> {
            if (back.getAsBoolean()) {
                stayed.run();
            } else {
                gone.run();
            }
        }, nodeGrace);
    }

    void executorStateChanged(String workerId, ExecutorReport report) {
        loop.assertInLoop();
        state.heardFrom(workerId, clock.instant());
        launches.executorStateChanged(workerId, report);
    }

    /** An executor registered itself (its process really runs): its application can start executors. */
    void executorRegistered(String appId, String executorId) {
        loop.assertInLoop();
        launches.executorRegistered(appId, executorId);
    }

    /** The executor's registry node vanished: its process is gone even if its worker did not say so. */
    void executorUnregistered(String appId, String executorId) {
        loop.assertInLoop();
        launches.executorUnregistered(appId, executorId);
    }

    /**
     * Registers an application, or registers it again.
     *
     * @param executorIdsFrom the lowest id its next executor may get (a driver registering again sends
     *     one above every id it heard of; 0 on a first registration)
     */
    String registerApplication(ApplicationDescription requested, int requestedExecutors, long executorIdsFrom) {
        loop.assertInLoop();
        String appId = applications.register(requested, requestedExecutors, executorIdsFrom);
        launches.scheduleExecutors();
        // A driver creates its node as soon as it has its id: one that never does died in between,
        // and nothing else would ever end its application.
        scheduleActing(() -> {
            // A node that came and went already is the grace's to judge ("its driver went away").
            if (state.application(appId).isPresent() && !nodes.hasDriver(appId) && !driverNodesGone.contains(appId)) {
                endApplication(appId, "its driver never registered in ZooKeeper");
            }
        }, driverNodeWait);
        return appId;
    }

    void requestTotalExecutors(String appId, int total) {
        loop.assertInLoop();
        counters.executorsRequested();
        if (applications.requestTotalExecutors(appId, total)) {
            launches.scheduleExecutors();
        }
    }

    void killExecutors(String appId, List<String> executorIds, OptionalInt total) {
        loop.assertInLoop();
        applications.killExecutors(appId, executorIds, total);
        counters.executorsKilled(executorIds.size());
        launches.scheduleExecutors();
    }

    void unregisterApplication(String appId) {
        endApplication(appId, UNREGISTERED);
    }

    void endApplication(String appId, String reason) {
        loop.assertInLoop();
        EndedApplication.Outcome outcome = launches.givenUp(appId) ? EndedApplication.Outcome.FAILED
                : reason.equals(UNREGISTERED) ? EndedApplication.Outcome.FINISHED : EndedApplication.Outcome.LOST;
        if (applications.end(appId, reason, outcome)) {
            driverNodesGone.remove(appId);
            launches.forget(appId);
            watchers.ended(appId);
            launches.scheduleExecutors();
        }
    }

    /**
     * The driver of {@code appId} follows its application: {@code watcher} is told what stands now, then
     * each failed executor and each change, until the application or the term ends.
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    void watchApplication(String appId, ApplicationWatcher watcher) {
        loop.assertInLoop();
        if (state.application(appId).isEmpty()) {
            throw new IllegalArgumentException("unknown application " + appId);
        }
        if (watchers.watch(appId, watcher)) {
            LOG.info("The driver of {} answers again; its executors are launched", appId);
            launches.scheduleExecutors();
        }
    }

    /**
     * A driver stopped following its application. Unless it follows again, it does not answer (it was
     * killed, say): no executor is launched for the application until it does, or until its ZooKeeper
     * node goes away and the application ends.
     */
    void unwatchApplication(String appId, ApplicationWatcher watcher) {
        loop.assertInLoop();
        if (watchers.unwatch(appId, watcher) && state.application(appId).isPresent()) {
            LOG.info("The driver of {} stopped answering (its stream to this master broke); no executor is launched "
                    + "for it until it is back, and it ends if its ZooKeeper node goes away", appId);
        }
    }

    // ---- queries

    ClusterOverview overview() {
        loop.assertInLoop();
        List<ClusterOverview.Worker> workers = new ArrayList<>();
        for (WorkerResources worker : state.workerResources()) {
            ClusterOverview.WorkerState workerState = state.isSuspended(worker.id())
                    ? ClusterOverview.WorkerState.UNREACHABLE
                    : worker.lastContact().isEmpty() ? ClusterOverview.WorkerState.RECOVERING
                    : ClusterOverview.WorkerState.ALIVE;
            workers.add(new ClusterOverview.Worker(worker.info(), worker.uiUrl(), workerState, worker.usedCores(),
                    worker.usedMemory(), worker.lastContact()));
        }
        List<ClusterOverview.Application> apps = new ArrayList<>();
        for (ApplicationRecord app : state.applications()) {
            ClusterOverview.ApplicationState appState = launches.givenUp(app.appId())
                    ? ClusterOverview.ApplicationState.FAILED
                    : app.missingExecutors() > 0 ? ClusterOverview.ApplicationState.WAITING
                    : ClusterOverview.ApplicationState.RUNNING;
            Set<String> registered = new HashSet<>();
            for (String executorId : app.executors().keySet()) {
                if (nodes.hasExecutor(app.appId(), executorId)) {
                    registered.add(executorId);
                }
            }
            apps.add(new ClusterOverview.Application(app.appId(),
                    Optional.ofNullable(applications.description(app.appId())), app.requestedExecutors(),
                    List.copyOf(app.executors().values()), app.appName(), app.group(), appState,
                    applications.registeredAt(app.appId()), registered));
        }
        return new ClusterOverview(epoch, workers, apps, state.queues(), applications.ended());
    }

    List<WorkerInfo> workers() {
        return state.workers();
    }

    /** The application scheduler's queues, sorted by name (see {@link Master#queues()}). */
    List<GroupStatus> queues() {
        return state.queues();
    }

    List<ApplicationInfo> applications() {
        return applications.infos();
    }
}
