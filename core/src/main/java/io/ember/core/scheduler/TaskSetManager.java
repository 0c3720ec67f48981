package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;
import io.ember.core.job.JobId;
import io.ember.core.job.Stage;
import io.ember.core.job.StageId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

// Longer than 400 lines because one stage's bookkeeping (pending queues by locality, attempts, failures,
// results) is one piece of state the scheduler thread changes together; its parts share every field.
/**
 * The tasks of one stage of one job, as the scheduler tracks them: which wait, which run, which
 * finished with what result, how often each failed and where. It is the {@link Schedulable} the
 * scheduling policy orders.
 *
 * <p><b>Choosing a task for an executor.</b> A task whose input is cached on some executors waits in
 * those executors' lists (and in a shared list of such tasks); other tasks wait in a list of their
 * own. An executor with a free core takes, in order: a task whose input it caches, a task with no
 * preference, and, once no task of this set has been launched where its input is for
 * {@code localityWait}, a task whose input is cached elsewhere. A task that failed on an executor
 * goes elsewhere when there is another executor. Lists are cleaned lazily, so choosing a task costs
 * O(1) amortised, whatever the number of tasks.
 *
 * <p>Not thread-safe: owned by the scheduler thread.
 */
final class TaskSetManager implements Schedulable {

    /** How far past the head of a list to look for a task not excluded from an executor. */
    private static final int EXCLUSION_SCAN = 16;

    private final JobId jobId;
    private final StageId stageId;
    private final Stage stage;
    private final byte[] code;
    private final String pool;
    private final Duration localityWait;
    private final int maxFailures;
    private final int[] partitions;
    private final ClassLoader resultLoader;
    private final long submittedNanos;

    private final byte[][] results;
    private final boolean[] finished;
    private final boolean[] pending;
    private final int[] failures;
    private final int[] attemptNumbers;
    private final String[][] preferred;
    private final Map<Integer, Set<String>> failedOn = new HashMap<>();

    private final IntDeque noPreference;
    private final IntDeque preferredAnywhere = new IntDeque();
    private final Map<String, IntDeque> preferredBy = new HashMap<>();

    private int pendingCount;
    private int runningCount;
    private int finishedCount;
    private long lastLocalLaunchMillis;
    private boolean done;

    private IntDeque candidateList;
    private int candidatePosition;
    private boolean candidateLocal;

    private int attempts;
    private int failedAttempts;
    private final Set<String> executorsUsed = new HashSet<>();
    private long cacheHits;
    private long cacheMisses;
    private long resultBytes;
    private long timedRunNanos;
    private int timedRuns;

    /**
     * @param preferredExecutors for each task, the executors caching its input (alive now), or an
     *     empty array
     */
    TaskSetManager(JobId jobId, StageId stageId, Stage stage, byte[] code, String pool, SchedulerSettings settings,
                   String[][] preferredExecutors, ClassLoader resultLoader, long nowMillis) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.stageId = requireNonNull(stageId, "stageId is null");
        this.stage = requireNonNull(stage, "stage is null");
        this.code = requireNonNull(code, "code is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.localityWait = settings.localityWait();
        this.maxFailures = settings.maxFailures();
        this.resultLoader = requireNonNull(resultLoader, "resultLoader is null");
        this.partitions = stage.partitions();
        this.submittedNanos = System.nanoTime();
        int n = partitions.length;
        if (preferredExecutors.length != n) {
            throw new IllegalArgumentException("preferences for " + preferredExecutors.length + " of " + n + " tasks");
        }
        this.results = new byte[n][];
        this.finished = new boolean[n];
        this.pending = new boolean[n];
        this.failures = new int[n];
        this.attemptNumbers = new int[n];
        this.preferred = preferredExecutors;
        this.noPreference = new IntDeque(n);
        for (int i = 0; i < n; i++) {
            pending[i] = true;
            if (preferred[i].length == 0) {
                noPreference.addLast(i);
            } else {
                preferredAnywhere.addLast(i);
                for (String executor : preferred[i]) {
                    preferredBy.computeIfAbsent(executor, e -> new IntDeque()).addLast(i);
                }
            }
        }
        this.pendingCount = n;
        this.lastLocalLaunchMillis = nowMillis;
    }

    // ---- Schedulable ------------------------------------------------------------------------------

    @Override
    public String name() {
        return "job-" + jobId.value() + "/stage-" + stageId.value();
    }

    @Override
    public String group() {
        return pool;
    }

    @Override
    public long priority() {
        return jobId.value();
    }

    @Override
    public long sequence() {
        return stageId.value();
    }

    @Override
    public int running() {
        return runningCount;
    }

    @Override
    public int pending() {
        return done ? 0 : pendingCount;
    }

    // ---- Choosing and launching -------------------------------------------------------------------

    /**
     * Whether a task can launch on the executor now; remembers which, for {@link #launch}.
     *
     * @param aliveExecutors how many executors are alive: a task is kept off an executor it failed on
     *     only while there may be one it has not failed on
     */
    boolean canLaunchOn(String executorId, long nowMillis, int aliveExecutors) {
        candidateList = null;
        if (done || pendingCount == 0) {
            return false;
        }
        IntDeque local = preferredBy.get(executorId);
        if (local != null && find(local, executorId, aliveExecutors)) {
            candidateLocal = true;
            return true;
        }
        if (find(noPreference, executorId, aliveExecutors)) {
            candidateLocal = false;
            return true;
        }
        if (!preferredAnywhere.isEmpty() && localityWaitOver(nowMillis)
                && find(preferredAnywhere, executorId, aliveExecutors)) {
            candidateLocal = false;
            return true;
        }
        return false;
    }

    /** Whether tasks wait only for the executors caching their input; when the wait ends, if so. */
    long localityDeadlineMillis() {
        if (done || preferredAnywhere.isEmpty() || pendingCount == 0) {
            return Long.MAX_VALUE;
        }
        return lastLocalLaunchMillis + localityWait.toMillis();
    }

    private boolean localityWaitOver(long nowMillis) {
        return nowMillis - lastLocalLaunchMillis >= localityWait.toMillis();
    }

    private boolean find(IntDeque list, String executorId, int aliveExecutors) {
        while (!list.isEmpty() && !pending[list.peekFirst()]) {
            list.removeFirst();
        }
        int scan = Math.min(list.size(), EXCLUSION_SCAN);
        for (int position = 0; position < scan; position++) {
            int index = list.get(position);
            if (!pending[index]) {
                continue;
            }
            if (excluded(index, executorId, aliveExecutors)) {
                continue;
            }
            candidateList = list;
            candidatePosition = position;
            return true;
        }
        return false;
    }

    private boolean excluded(int index, String executorId, int aliveExecutors) {
        Set<String> failed = failedOn.get(index);
        return failed != null && failed.size() < aliveExecutors && failed.contains(executorId);
    }

    /**
     * Launches the task {@link #canLaunchOn} found.
     *
     * @return the task's index in this set
     */
    int launch(String executorId, long nowMillis) {
        if (candidateList == null) {
            throw new IllegalStateException("no task was chosen for executor " + executorId);
        }
        int index = candidateList.removeAt(candidatePosition);
        candidateList = null;
        pending[index] = false;
        pendingCount--;
        runningCount++;
        attempts++;
        executorsUsed.add(executorId);
        if (candidateLocal) {
            lastLocalLaunchMillis = nowMillis;
        }
        return index;
    }

    /** Whether the task launched last went to an executor caching its input. */
    boolean launchedLocal() {
        return candidateLocal;
    }

    /** The attempt number the task launched last got (0 for the first). */
    int nextAttemptNumber(int index) {
        return attemptNumbers[index]++;
    }

    // ---- Outcomes ----------------------------------------------------------------------------------

    /** A task finished; returns whether its result was new (a late duplicate is ignored). */
    boolean finished(int index, byte[] result) {
        runningCount--;
        if (finished[index]) {
            return false;
        }
        finished[index] = true;
        results[index] = result;
        resultBytes += result.length;
        finishedCount++;
        return true;
    }

    /**
     * A task attempt failed on an executor, by its own error.
     *
     * @return whether the task has now failed {@code maxFailures} times (the job must fail)
     */
    boolean failed(int index, String executorId) {
        runningCount--;
        failedAttempts++;
        if (finished[index] || done) {
            return false;
        }
        failures[index]++;
        failedOn.computeIfAbsent(index, i -> new HashSet<>(2)).add(executorId);
        if (failures[index] >= maxFailures) {
            return true;
        }
        repend(index);
        return false;
    }

    /**
     * An attempt of the task that was {@link #lost} with its executor turned out to have failed: the
     * application made the executor exit while it ran (out of memory, say). Counts the failure; the
     * task already waits to run again.
     *
     * @return whether the task has now failed {@code maxFailures} times (the job must fail)
     */
    boolean lostAttemptFailed(int index, String executorId) {
        if (finished[index] || done) {
            return false;
        }
        failures[index]++;
        failedOn.computeIfAbsent(index, i -> new HashSet<>(2)).add(executorId);
        return failures[index] >= maxFailures;
    }

    /** A task attempt was lost with its executor, or killed without being asked to: it runs again, not counted as a failure. */
    void lost(int index) {
        runningCount--;
        failedAttempts++;
        if (!finished[index] && !done) {
            repend(index);
        }
    }

    /** A killed attempt of an aborted or finished set reported back. */
    void released() {
        runningCount--;
    }

    private void repend(int index) {
        if (!pending[index]) {
            pending[index] = true;
            pendingCount++;
            noPreference.addLast(index);
        }
    }

    /** An executor left: tasks that preferred only it no longer wait for it. */
    void executorLost(String executorId, Predicate<String> alive) {
        IntDeque waiting = preferredBy.remove(executorId);
        if (waiting == null) {
            return;
        }
        for (int i = 0; i < waiting.size(); i++) {
            int index = waiting.get(i);
            if (!pending[index]) {
                continue;
            }
            boolean elsewhere = false;
            for (String other : preferred[index]) {
                if (!other.equals(executorId) && alive.test(other)) {
                    elsewhere = true;
                    break;
                }
            }
            if (!elsewhere) {
                noPreference.addLast(index);
            }
        }
    }

    /** A finished task ran this long on its executor (0 when the executor did not say). */
    void recordRunTime(long runNanos) {
        if (runNanos > 0) {
            timedRunNanos += runNanos;
            timedRuns++;
        }
    }

    /** Whether this set's finished tasks ran shorter than {@code limitNanos} on average; false before one finished. */
    boolean tasksShorterThan(long limitNanos) {
        return timedRuns > 0 && timedRunNanos / timedRuns < limitNanos;
    }

    String pool() {
        return pool;
    }

    void recordCache(int hits, int misses) {
        cacheHits += hits;
        cacheMisses += misses;
    }

    /** Marks the set done (finished or aborted): it offers no more tasks. */
    void markDone() {
        done = true;
    }

    // ---- Queries -----------------------------------------------------------------------------------

    /** Whether the task has a result (so a failure of an earlier attempt no longer matters). */
    boolean hasFinished(int index) {
        return finished[index];
    }

    boolean isDone() {
        return done;
    }

    boolean allFinished() {
        return finishedCount == partitions.length;
    }

    JobId jobId() {
        return jobId;
    }

    StageId stageId() {
        return stageId;
    }

    Stage stage() {
        return stage;
    }

    byte[] code() {
        return code;
    }

    int partition(int index) {
        return partitions[index];
    }

    int tasks() {
        return partitions.length;
    }

    int failures(int index) {
        return failures[index];
    }

    byte[][] results() {
        return results;
    }

    long resultBytes() {
        return resultBytes;
    }

    ClassLoader resultLoader() {
        return resultLoader;
    }

    long submittedNanos() {
        return submittedNanos;
    }

    int attempts() {
        return attempts;
    }

    int failedAttempts() {
        return failedAttempts;
    }

    Set<String> executorsUsed() {
        return Set.copyOf(executorsUsed);
    }

    long cacheHits() {
        return cacheHits;
    }

    long cacheMisses() {
        return cacheMisses;
    }

    @Override
    public String toString() {
        return "TaskSet[" + name() + ", " + stage.description() + ", pending=" + pendingCount + ", running="
                + runningCount + ", finished=" + finishedCount + "/" + partitions.length + (done ? ", done" : "") + "]";
    }
}
