package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingQueue;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the task scheduler knows: the executors with their free slots, the running attempts, the
 * active task sets and the jobs' states. Shared by the scheduler's parts ({@link TaskScheduler},
 * {@link OfferRound}, {@link OutcomeHandler}, {@link StallReport}).
 *
 * <p>Threading: owned by the scheduler's thread ({@code ember-task-scheduler}); only
 * {@link #totalCores} is read from other threads.
 */
final class SchedulerState {

    /** How many removed executors' attempts are kept for {@link #recentlyLost}. */
    static final int RECENTLY_LOST_EXECUTORS = 64;

    /** The selected policy's task-set queue; replaced when the policy is reloaded. */
    SchedulingQueue queue;
    final Map<String, ExecutorSlots> executors = new LinkedHashMap<>();
    final Map<Long, Attempt> attempts = new HashMap<>();
    final Map<StageId, TaskSetManager> active = new LinkedHashMap<>();
    /** Jobs between {@link TaskScheduler#jobStarted} and {@link TaskScheduler#jobEnded}. */
    final Set<JobId> runningJobs = new HashSet<>();
    /** Running jobs that were cancelled, with why: a stage of theirs submitted later is refused. */
    final Map<JobId, String> cancelled = new HashMap<>();
    final Map<TaskSetManager, CompletableFuture<TaskSetManager>> completions = new HashMap<>();
    final BlockLocations blocks = new BlockLocations();
    /** Cores of the executors registered now; read from any thread. */
    final AtomicInteger totalCores = new AtomicInteger();
    long nextTaskId;
    /**
     * When a running job last moved (clock millis): a task ended, the first job after idleness was
     * submitted, or the first executor after none registered.
     */
    long lastProgressMillis;
    /**
     * The attempts of executors removed lately, by executor, as they ran when it was removed: if the
     * cluster then says the application made the executor exit, they count as failures. Bounded.
     */
    final Map<String, List<Attempt>> recentlyLost = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Attempt>> eldest) {
            return size() > RECENTLY_LOST_EXECUTORS;
        }
    };
    /** Why the application failed (the cluster gave it up), once it did: no task set runs any more. */
    String applicationFailure;
    /** Why there are no executors, as far as the cluster says (empty: it does not); read from any thread. */
    volatile Supplier<String> missingExecutorsHint = () -> "";

    SchedulerState(SchedulingQueue queue) {
        this.queue = requireNonNull(queue, "queue is null");
    }


    /** One task attempt; {@code slow} when its stage's tasks were not known to be short at launch. */
    record Attempt(long taskId, TaskSetManager set, int index, String executorId, int number, boolean slow) {
    }

    /** An executor as the scheduler sees it: its free launch slots, its running tasks, the stages it has code for. */
    static final class ExecutorSlots {
        final ExecutorGateway gateway;
        /** Tasks it runs at once; launches beyond this wait in its queue (launch-ahead). */
        final int cores;
        final Set<Long> running = new HashSet<>();
        /** Of {@link #running}, tasks of stages not known to be short when they were sent. */
        int slowTasks;
        final Set<StageId> stagesSent = new HashSet<>();
        int free;
        /** This offer round's launches and the stage code they need, sent together by {@link #flush}. */
        private List<TaskLaunch> tasks;
        private List<StageShipment> stages;

        ExecutorSlots(ExecutorGateway gateway, int cores, int slots) {
            this.gateway = gateway;
            this.cores = cores;
            this.free = slots;
        }

        void ship(StageShipment stage) {
            if (stages == null) {
                stages = new ArrayList<>(1);
            }
            stages.add(stage);
        }

        void launch(TaskLaunch task) {
            if (tasks == null) {
                tasks = new ArrayList<>(free + 1);
            }
            tasks.add(task);
        }

        void flush() {
            if (tasks != null) {
                gateway.launch(stages == null ? List.of() : stages, tasks);
                tasks = null;
                stages = null;
            }
        }
    }
}
