package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

// Longer than 400 lines because the leader's books (workers, applications, executors) and the
// placement that reads and updates them in one step share their maps; split, each half would
// reach into the other's.
/**
 * What the leader master knows: workers and their free resources, applications with their executor
 * requests, and which executor runs where; and the decision of where new executors go.
 *
 * <p>Which application gets free worker cores next is the scheduler plugin's call (its
 * {@link SchedulingLevel#APPLICATIONS} queue: FIFO or FAIR across queues);
 * which worker hosts the executor is the {@link Placement}'s.
 *
 * <p>Not thread-safe: confined to the master's event loop.
 */
final class MasterState {

    /**
     * The most launch commands one worker has unanswered: more executors are placed there as it
     * answers. A worker that does not answer (gone, or a registration of a host nobody listens on)
     * is sent this many, not every executor its cores would hold, before its failures come back and
     * it is suspended; a worker that answers is never held back by it for long (a launch is answered
     * once the worker has started the process).
     */
    static final int MAX_LAUNCHES_IN_FLIGHT = 16;

    private final Placement placement;
    private final Map<String, WorkerResources> workers = new TreeMap<>();
    /** Workers that did not take a launch: nothing is placed on them until they are reinstated. */
    private final Set<String> suspended = new HashSet<>();
    /** Launch commands sent and not answered yet, by worker id; absent for none. */
    private final Map<String, Integer> launching = new HashMap<>();
    private final Map<String, ApplicationRecord> apps = new LinkedHashMap<>();
    private long registrations;
    private SchedulingQueue queue;

    MasterState(SchedulingQueue queue, Placement placement) {
        this.queue = requireNonNull(queue, "queue is null");
        this.placement = requireNonNull(placement, "placement is null");
    }

    // ---- workers

    /**
     * Places nothing more on a worker (one that did not take a launch: dead, or stopping) until it
     * registers again or is {@link #reinstate reinstated}.
     */
    void suspend(String workerId) {
        if (workers.containsKey(workerId)) {
            suspended.add(workerId);
        }
    }

    /**
     * A launch command went to the worker: until it is {@link #launchAnswered answered}, it counts
     * against the worker's {@link #MAX_LAUNCHES_IN_FLIGHT}.
     */
    void launchSent(String workerId) {
        if (workers.containsKey(workerId)) {
            launching.merge(workerId, 1, Integer::sum);
        }
    }

    /**
     * The worker answered a launch command (took it, or did not); returns whether that made room for
     * another one on a worker that had {@link #MAX_LAUNCHES_IN_FLIGHT}.
     */
    boolean launchAnswered(String workerId) {
        int before = launchesInFlight(workerId);
        if (before == 0) {   // a command to a worker removed since, or sent before it re-registered
            return false;
        }
        if (before == 1) {
            launching.remove(workerId);
        } else {
            launching.put(workerId, before - 1);
        }
        return before == MAX_LAUNCHES_IN_FLIGHT;
    }

    /** Launch commands sent to the worker and not answered yet. */
    int launchesInFlight(String workerId) {
        return launching.getOrDefault(workerId, 0);
    }

    /** Places executors on a suspended worker again. */
    void reinstate(String workerId) {
        suspended.remove(workerId);
    }

    /** Adds a worker known from ZooKeeper's record (not heard from yet), or refreshes one. */
    void addWorker(WorkerInfo info) {
        addWorker(new WorkerResources(info));
    }

    /** Adds a worker that registered now, or refreshes one that re-registers (keeping what its executors use). */
    void addWorker(WorkerInfo info, String uiUrl, Instant now) {
        addWorker(new WorkerResources(info, uiUrl, requireNonNull(now, "now is null")));
    }

    private void addWorker(WorkerResources fresh) {
        WorkerInfo info = fresh.info();
        suspended.remove(info.workerId());
        WorkerResources previous = workers.get(info.workerId());
        if (previous != null) {
            for (ApplicationRecord app : apps.values()) {
                for (ExecutorRecord executor : app.executors().values()) {
                    if (executor.workerId().equals(info.workerId())) {
                        fresh.allocate(executor.appId(), executor.cores(), executor.memoryBytes());
                    }
                }
            }
        }
        workers.put(info.workerId(), fresh);
    }

    boolean hasWorker(String workerId) {
        return workers.containsKey(workerId);
    }

    /** The worker spoke to the leader now; nothing for a worker it does not know. */
    void heardFrom(String workerId, Instant now) {
        WorkerResources worker = workers.get(workerId);
        if (worker != null) {
            worker.heardFrom(now);
        }
    }

    /** Every worker with what it offers and uses, sorted by id. */
    Collection<WorkerResources> workerResources() {
        return Collections.unmodifiableCollection(workers.values());
    }

    /** Whether nothing is placed on the worker for now (it did not take a launch). */
    boolean isSuspended(String workerId) {
        return suspended.contains(workerId);
    }

    Optional<WorkerInfo> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId)).map(WorkerResources::info);
    }

    List<WorkerInfo> workers() {
        return workers.values().stream().map(WorkerResources::info).toList();
    }

    /** Removes a worker that went away; returns the executors lost with it. */
    List<ExecutorRecord> removeWorker(String workerId) {
        suspended.remove(workerId);
        launching.remove(workerId);
        if (workers.remove(workerId) == null) {
            return List.of();
        }
        List<ExecutorRecord> lost = new ArrayList<>();
        for (ApplicationRecord app : apps.values()) {
            boolean changed = app.executors().values().removeIf(e -> {
                if (e.workerId().equals(workerId)) {
                    lost.add(e);
                    return true;
                }
                return false;
            });
            if (changed) {
                queue.update(app);
            }
        }
        return lost;
    }

    // ---- applications

    /**
     * Registers an application (or re-registers one after a failover, keeping what is known of it).
     */
    ApplicationRecord registerApplication(String appId, String name, String queueName, int coresPerExecutor,
                                          long memoryPerExecutor, int requestedExecutors) {
        ApplicationRecord app = apps.get(appId);
        if (app == null) {
            app = new ApplicationRecord(appId, name, queueName, registrations++, coresPerExecutor, memoryPerExecutor);
            apps.put(appId, app);
            app.requestTotal(requestedExecutors);
            queue.add(app);
        } else {
            app.requestTotal(requestedExecutors);
            queue.update(app);
        }
        return app;
    }

    Optional<ApplicationRecord> application(String appId) {
        return Optional.ofNullable(apps.get(appId));
    }

    Collection<ApplicationRecord> applications() {
        return apps.values();
    }

    /** The latest request wins; executors above it are not killed here (the driver releases them). */
    void requestTotalExecutors(String appId, int total) {
        ApplicationRecord app = require(appId);
        app.requestTotal(total);
        queue.update(app);
    }

    /** Removes an application; returns its executors, which the caller stops. */
    List<ExecutorRecord> removeApplication(String appId) {
        ApplicationRecord app = apps.remove(appId);
        if (app == null) {
            return List.of();
        }
        queue.remove(app);
        List<ExecutorRecord> executors = new ArrayList<>(app.executors().values());
        for (ExecutorRecord executor : executors) {
            release(executor);
        }
        return executors;
    }

    // ---- queues

    /**
     * The application scheduler's queues with their parameters and current counts, sorted by name:
     * what its policy reports ({@link SchedulingQueue#groups()}), declared queues included.
     */
    List<GroupStatus> queues() {
        List<GroupStatus> queues = new ArrayList<>(queue.groups());
        queues.sort(Comparator.comparing(GroupStatus::name));
        return List.copyOf(queues);
    }

    /**
     * Moves every application, with what it holds and wants, into {@code fresh} (an empty queue of the
     * {@link SchedulingLevel#APPLICATIONS} level, from a policy whose settings
     * changed), in registration order, and schedules with it from now on. Executors already placed
     * stay where they are (no preemption): a queue the new settings put over its share keeps its
     * cores, and cores freed later go to the queues under theirs. If {@code fresh} refuses an
     * application, the current queue stays in use and the exception is thrown. The caller runs
     * {@link #schedule()} afterwards, since the new settings may let waiting applications have cores.
     */
    void replaceQueue(SchedulingQueue fresh) {
        requireNonNull(fresh, "fresh is null");
        if (fresh == queue) {
            throw new IllegalArgumentException("the queue in use cannot replace itself");
        }
        for (ApplicationRecord app : apps.values()) {
            fresh.add(app);
        }
        queue = fresh;
    }

    // ---- executors

    /** Records an executor known to exist (placed by an earlier leader, reported by its worker). */
    void addExecutor(ExecutorRecord executor) {
        ApplicationRecord app = require(executor.appId());
        WorkerResources worker = workers.get(executor.workerId());
        if (worker == null) {
            throw new IllegalArgumentException("executor " + executor.executorId() + " is on unknown worker "
                    + executor.workerId());
        }
        app.observeExecutorId(executor.executorId());
        if (app.executors().putIfAbsent(executor.executorId(), executor) == null) {
            worker.allocate(executor.appId(), executor.cores(), executor.memoryBytes());
            queue.update(app);
        }
    }

    /** Forgets an executor that exited, failed, was killed or lost; frees its resources. */
    Optional<ExecutorRecord> removeExecutor(String appId, String executorId) {
        ApplicationRecord app = apps.get(appId);
        if (app == null) {
            return Optional.empty();
        }
        ExecutorRecord executor = app.executors().remove(executorId);
        if (executor == null) {
            return Optional.empty();
        }
        release(executor);
        queue.update(app);
        return Optional.of(executor);
    }

    /**
     * Kills executors at the application's request: they are removed and, in the same step, the
     * request becomes {@code total}, or without one is lowered by as many as were killed, so they
     * are not replaced at once. Returns the ones that existed.
     */
    List<ExecutorRecord> killExecutors(String appId, Collection<String> executorIds, OptionalInt total) {
        ApplicationRecord app = require(appId);
        List<ExecutorRecord> killed = new ArrayList<>();
        for (String id : executorIds) {
            removeExecutor(appId, id).ifPresent(killed::add);
        }
        app.requestTotal(total.orElse(Math.max(0, app.requestedExecutors() - killed.size())));
        queue.update(app);
        return killed;
    }

    /**
     * Places as many missing executors as the free resources allow, in the scheduler's order, and
     * records them (resources reserved). The caller asks the workers to launch them and removes any
     * whose launch fails.
     */
    List<ExecutorRecord> schedule() {
        return schedule(app -> true);
    }

    /** Like {@link #schedule()}, for the applications {@code eligible} accepts only. */
    List<ExecutorRecord> schedule(Predicate<String> eligible) {
        List<ExecutorRecord> placed = new ArrayList<>();
        for (Optional<ExecutorRecord> next = scheduleNext(eligible); next.isPresent(); next = scheduleNext(eligible)) {
            placed.add(next.get());
        }
        return placed;
    }

    /**
     * Places one missing executor, of the application the scheduler chooses among those
     * {@code eligible} accepts, if the free resources allow; records it (resources reserved). The
     * caller asks again for the next, so {@code eligible} sees each placement before the next one.
     */
    Optional<ExecutorRecord> scheduleNext(Predicate<String> eligible) {
        Schedulable chosen = queue.offer(item -> eligible.test(item.name())
                && placement.choose(placeable(), (ApplicationRecord) item).isPresent());
        if (chosen == null) {
            return Optional.empty();
        }
        ApplicationRecord app = (ApplicationRecord) chosen;
        WorkerResources worker = placement.choose(placeable(), app).orElseThrow();
        ExecutorRecord executor = new ExecutorRecord(app.appId(), app.newExecutorId(), worker.id(),
                app.coresPerExecutor(), app.memoryPerExecutor());
        app.executors().put(executor.executorId(), executor);
        worker.allocate(app.appId(), executor.cores(), executor.memoryBytes());
        queue.update(app);
        return Optional.of(executor);
    }

    /**
     * Why the workers' resources keep an application from getting the executors it lacks, in one
     * sentence for its driver; empty when they do not (it lacks none, or some worker has room for one
     * of its executors and something else holds it back: its queue's share, a back-off).
     */
    String shortage(String appId) {
        ApplicationRecord app = apps.get(appId);
        if (app == null || app.missingExecutors() == 0) {
            return "";
        }
        if (workers.isEmpty()) {
            return "no worker is registered with the leader master";
        }
        int cores = app.coresPerExecutor();
        long memory = app.memoryPerExecutor();
        String executor = cores + " core(s) and " + megabytes(memory);
        if (workers.values().stream().noneMatch(w -> w.info().cores() >= cores && w.info().memoryBytes() >= memory)) {
            WorkerInfo largest = workers.values().stream().map(WorkerResources::info)
                    .max(Comparator.comparingInt(WorkerInfo::cores).thenComparingLong(WorkerInfo::memoryBytes))
                    .orElseThrow();
            return "no worker is large enough for one of its executors (" + executor + "): the largest, "
                    + largest.workerId() + ", offers " + largest.cores() + " core(s) and "
                    + megabytes(largest.memoryBytes());
        }
        if (workers.values().stream().noneMatch(w -> w.fits(cores, memory))) {
            WorkerResources freest = workers.values().stream()
                    .max(Comparator.comparingInt(WorkerResources::freeCores)
                            .thenComparingLong(WorkerResources::freeMemory))
                    .orElseThrow();
            return "the cluster is short of free cores or memory: each executor needs " + executor + ", and no "
                    + "worker has that free (" + workers.size() + " worker(s); the most free, " + freest.id() + ", has "
                    + freest.freeCores() + " core(s) and " + megabytes(freest.freeMemory()) + ")";
        }
        return "";
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }

    private void release(ExecutorRecord executor) {
        WorkerResources worker = workers.get(executor.workerId());
        if (worker != null) {
            worker.release(executor.appId(), executor.cores(), executor.memoryBytes());
        }
    }

    private ApplicationRecord require(String appId) {
        ApplicationRecord app = apps.get(appId);
        if (app == null) {
            throw new IllegalArgumentException("unknown application " + appId);
        }
        return app;
    }

    /** The workers executors may be placed on: all but the suspended ones. */
    private Collection<WorkerResources> placeable() {
        if (suspended.isEmpty() && launching.values().stream().allMatch(n -> n < MAX_LAUNCHES_IN_FLIGHT)) {
            return workers.values();
        }
        return workers.values().stream().filter(w -> !suspended.contains(w.id())
                && launchesInFlight(w.id()) < MAX_LAUNCHES_IN_FLIGHT).toList();
    }
}
