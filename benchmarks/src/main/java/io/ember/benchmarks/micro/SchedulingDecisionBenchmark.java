package io.ember.benchmarks.micro;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one scheduling decision at the driver, as {@code TaskScheduler.revive()} makes it
 * for each free core: {@link SchedulingQueue#offer} picks a task set, the set launches one task
 * (running + 1, pending - 1) and {@link SchedulingQueue#update} re-reads it.
 *
 * <p>The queue is the {@code TASK_SETS} queue of the {@code fifo} or {@code fair} policy, found
 * through the plugins' {@link ServiceLoader} entries as the host finds built-in plugins, holding
 * {@code taskSets} task sets that all stay runnable (each has a billion pending tasks). Set
 * {@code i} is stage {@code i} of job {@code i / 2} in pool {@code p(i % 8)}; under {@code fair}
 * the eight pools have different weights and minShares and {@code p1} shares fairly among its sets
 * (see {@link #FAIR_POOLS}). Under {@code fifo} the pools play no part.
 *
 * <p>The cluster has {@value #CORES} cores on {@value #EXECUTORS} executors, all busy. To keep the
 * counts steady, every operation first finishes the oldest running task (running - 1 of its set,
 * then {@code update}), which frees a core on that task's executor, then makes the decision for
 * that core. <b>One operation is therefore one decision plus one completion</b>: one {@code offer}
 * and two {@code update}s, as the scheduler does per task.
 *
 * <ul>
 *   <li>{@link #acceptAll}: every set accepts every core, so the queue's first choice wins.
 *   <li>{@link #withLocalityWait}: every fourth set waits for locality and accepts only the 2
 *       executors (of {@value #EXECUTORS}) holding its input, so {@code offer} sometimes has to
 *       pass over a set to the next candidate.
 * </ul>
 *
 * <p>{@code benchmarks/run jmh SchedulingDecisionBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulingDecisionBenchmark {

    /** Cores in the simulated cluster, all busy: 32 executors of 4 cores. */
    static final int CORES = 128;
    static final int EXECUTORS = 32;
    static final int POOLS = 8;

    /** Pending tasks each set starts with: enough that none runs out during a trial. */
    private static final int PENDING = 1_000_000_000;

    /** The {@code fair} pools: different weights and minShares, {@code p1} in mode fair. */
    static final Map<String, String> FAIR_POOLS = Map.ofEntries(
            Map.entry("pool.p0.weight", "3"), Map.entry("pool.p0.minShare", "16"),
            Map.entry("pool.p1.weight", "2"), Map.entry("pool.p1.minShare", "8"), Map.entry("pool.p1.mode", "fair"),
            Map.entry("pool.p2.weight", "2"),
            Map.entry("pool.p3.weight", "1"), Map.entry("pool.p3.minShare", "4"),
            Map.entry("pool.p4.weight", "1"),
            Map.entry("pool.p5.weight", "1"),
            Map.entry("pool.p6.weight", "0.5"),
            Map.entry("pool.p7.weight", "0.5"), Map.entry("pool.p7.minShare", "2"));

    @Param({"fifo", "fair"})
    public String policy;

    @Param({"10", "100", "10000"})
    public int taskSets;

    private SchedulingQueue queue;
    /** The set each core's task belongs to; core {@code c} is on executor {@code c % EXECUTORS}. */
    private TaskSet[] running;
    /** The next core to free: the one whose task was launched longest ago. */
    private int core;
    private final AnyCore anyCore = new AnyCore();
    private final LocalityWait localityWait = new LocalityWait();

    @Setup(Level.Trial)
    public void setUp() {
        SchedulerFactory factory = findFactory(policy);
        Map<String, String> values = policy.equals("fair") ? FAIR_POOLS : Map.of();
        queue = factory.create(DeclaredSettings.of(factory.configKeys(), values)).createQueue(SchedulingLevel.TASK_SETS);
        for (int i = 0; i < taskSets; i++) {
            queue.add(new TaskSet(i, "p" + (i % POOLS), PENDING));
        }
        running = new TaskSet[CORES];
        for (int c = 0; c < CORES; c++) {
            running[c] = launch(anyCore);
        }
        core = 0;
    }

    /** The queue must have seen every change, or the benchmark measures a drifting state. */
    @TearDown(Level.Iteration)
    public void checkSteady() {
        long seen = queue.groups().stream().mapToLong(GroupStatus::running).sum();
        if (seen != CORES) {
            throw new IllegalStateException("the queue counts " + seen + " running tasks, expected " + CORES);
        }
    }

    /** One decision (and one completion) where every set can use the free core. */
    @Benchmark
    public Schedulable acceptAll() {
        return finishAndRelaunch(anyCore);
    }

    /** One decision (and one completion) where a quarter of the sets wait for 2 executors. */
    @Benchmark
    public Schedulable withLocalityWait() {
        return finishAndRelaunch(localityWait);
    }

    private Schedulable finishAndRelaunch(ExecutorOffer offer) {
        TaskSet finished = running[core];
        finished.finishTask();
        queue.update(finished);
        offer.executor = core % EXECUTORS;
        TaskSet chosen = launch(offer);
        running[core] = chosen;
        core = (core + 1) % CORES;
        return chosen;
    }

    /** The decision itself: offer, launch one task of the chosen set, update. */
    private TaskSet launch(ExecutorOffer offer) {
        TaskSet chosen = (TaskSet) queue.offer(offer);
        if (chosen == null) {
            throw new IllegalStateException("no task set took a core of executor " + offer.executor);
        }
        chosen.launchTask();
        queue.update(chosen);
        return chosen;
    }

    private static SchedulerFactory findFactory(String name) {
        TreeSet<String> available = new TreeSet<>();
        for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
            for (SchedulerFactory factory : plugin.schedulerFactories()) {
                if (factory.name().equals(name)) {
                    return factory;
                }
                available.add(factory.name());
            }
        }
        throw new IllegalArgumentException("No scheduler factory '" + name + "' on the class path. Available: "
                + String.join(", ", available));
    }

    /** An offer of one core on one executor: the predicate the host passes to {@code offer}. */
    private abstract static class ExecutorOffer implements Predicate<Schedulable> {
        int executor;
    }

    /** Every set can use every core. */
    private static final class AnyCore extends ExecutorOffer {
        @Override
        public boolean test(Schedulable item) {
            return true;
        }
    }

    /**
     * Every fourth set waits for locality: it takes only cores of the 2 executors holding its
     * input, {@code 2k} and {@code 2k + 1} for {@code k = (index / 4) % 16}.
     */
    private static final class LocalityWait extends ExecutorOffer {
        @Override
        public boolean test(Schedulable item) {
            int index = ((TaskSet) item).index;
            return index % 4 != 0 || executor / 2 == (index / 4) % (EXECUTORS / 2);
        }
    }

    /**
     * A task set as the host presents it to the queue: fixed name, pool, job and stage, and
     * counts the benchmark changes as tasks launch and finish.
     */
    static final class TaskSet implements Schedulable {
        private final int index;
        private final String name;
        private final String pool;
        private int running;
        private int pending;

        TaskSet(int index, String pool, int pending) {
            this.index = index;
            this.name = "job-" + index / 2 + "/stage-" + index;
            this.pool = requireNonNull(pool, "pool is null");
            this.pending = pending;
        }

        void launchTask() {
            if (pending == 0) {
                throw new IllegalStateException("no pending task left in " + name);
            }
            running++;
            pending--;
        }

        void finishTask() {
            if (running == 0) {
                throw new IllegalStateException("no running task in " + name);
            }
            running--;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String group() {
            return pool;
        }

        @Override
        public long priority() {
            return index / 2;
        }

        @Override
        public long sequence() {
            return index;
        }

        @Override
        public int running() {
            return running;
        }

        @Override
        public int pending() {
            return pending;
        }
    }
}
