package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.Driver;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.ConfigException;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.JobRunner;
import io.ember.core.dataset.Sources;
import io.ember.core.driver.client.ApplicationClient;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.JobResult;
import io.ember.core.job.JobSummary;
import io.ember.core.plugin.SchedulerReloader;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.StagePlanner;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.shuffle.MapOutputTracker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because it is the application's whole API, each method with its contract;
// the work is elsewhere: ContextStartup starts it, and a DriverRuntime (local or cluster) runs it.
/**
 * The application author's entry point: one application on an Ember cluster, from start to
 * {@link #close()}.
 *
 * <p>Threading: thread-safe: the queries are snapshots; {@link #close()} is idempotent.
 *
 * <p>Its full contract (an example; starting; datasets and jobs; closing and stopping) is in the
 * {@code io.ember.core.driver} package documentation.
 */
public final class EmberContext implements Driver, JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(EmberContext.class);
    /** The thread-local property naming the scheduler pool of the jobs a thread submits. */
    public static final String POOL_PROPERTY = "ember.scheduler.pool";


    private final EmberEnvironment environment;
    private final ApplicationInfo application;
    private final MasterUrl masterUrl;
    private final TaskScheduler scheduler;
    /** Null when the scheduler's file is not watched. */
    private final SchedulerReloader reloader;
    private final ClassLoader applicationLoader;
    private final DriverRuntime runtime;
    private final AtomicInteger datasetIds = new AtomicInteger();
    private final StagePlanner stages;
    /** Null when ember.cleaner.referenceTracking is false. */
    private final ContextCleaner cleaner;
    private final DriverMetrics metrics;
    private final RunningApplications applications;
    private final ApplicationMonitor monitor;
    private final AtomicReference<JobSummary> lastJob = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InheritableThreadLocal<Map<String, String>> localProperties = new InheritableThreadLocal<>() {
        @Override
        protected Map<String, String> initialValue() {
            return Map.of();
        }
    };

    EmberContext(ContextStartup.Started started) {
        this.environment = started.environment();
        this.masterUrl = started.masterUrl();
        this.scheduler = started.scheduler();
        this.reloader = started.reloader();
        this.applicationLoader = started.applicationLoader();
        this.runtime = started.runtime();
        this.application = runtime.application();
        this.metrics = started.metrics();
        this.applications = started.applications();
        this.monitor = started.monitor();
        MapOutputTracker outputs = new MapOutputTracker(
                environment.config().get(EmberKeys.SHUFFLE_ACCURATE_BLOCK_THRESHOLD));
        runtime.whenShuffleFilesLost(outputs::forgetAll);
        this.stages = new StagePlanner(scheduler, outputs, started.mapOutputs(), runtime.shuffleActivity());
        this.cleaner = environment.config().get(EmberKeys.CLEANER_REFERENCE_TRACKING)
                ? new ContextCleaner(new ContextCleaner.Actions() {
                    @Override
                    public void removeShuffle(int shuffleId) {
                        stages.removeShuffle(shuffleId);
                    }

                    @Override
                    public void unpersist(int datasetId) {
                        scheduler.unpersist(datasetId);
                    }
                }, environment.config().get(EmberKeys.CLEANER_PERIODIC_GC_INTERVAL))
                : null;
    }

    /**
     * Starts an application with these settings on top of the process's configuration (full keys,
     * e.g. {@code ember.master}, {@code ember.app.name}).
     *
     * @throws ConfigException listing every configuration problem
     * @throws IllegalArgumentException when {@code ember.master} is missing or not a master URL
     * @throws CoordinationException when ZooKeeper is unreachable or no leader master appears in time
     * @throws IllegalStateException when the master refuses the application
     */
    public static EmberContext create(Map<String, String> settings) {
        return builder().setAll(settings).build();
    }

    /** A builder of a context. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- Datasets and jobs ------------------------------------------------------------------------

    /** A dataset of these elements (copied), in {@link #defaultParallelism()} partitions. */
    public <T> Dataset<T> parallelize(List<T> data) {
        return parallelize(data, defaultParallelism());
    }

    /** A dataset of these elements (copied), in {@code partitions} contiguous partitions. */
    public <T> Dataset<T> parallelize(List<T> data, int partitions) {
        ensureOpen();
        return Sources.parallelize(this, data, partitions);
    }

    /** The numbers {@code start} (inclusive) to {@code end} (exclusive), in {@link #defaultParallelism()} partitions. */
    public Dataset<Long> range(long start, long end) {
        return range(start, end, defaultParallelism());
    }

    /** The numbers {@code start} (inclusive) to {@code end} (exclusive), in {@code partitions} contiguous partitions. */
    public Dataset<Long> range(long start, long end, int partitions) {
        ensureOpen();
        return Sources.range(this, start, end, partitions);
    }

    /** The lines of a text file, or of the files of a directory, in at least {@link #defaultParallelism()} partitions. */
    public Dataset<String> textFile(String path) {
        return textFile(path, defaultParallelism());
    }

    /**
     * The lines of a text file, or of the files of a directory (UTF-8), split by byte ranges into at
     * least {@code minPartitions} partitions. Executors read the same path: it must be on a file
     * system every executor sees.
     */
    public Dataset<String> textFile(String path, int minPartitions) {
        ensureOpen();
        return Sources.textFile(this, path, minPartitions);
    }

    @Override
    public int newDatasetId() {
        return datasetIds.getAndIncrement();
    }

    /**
     * {@code ember.default.parallelism} when set, else the cores of the registered executors (or, while
     * none has registered, the cores the application asked for), at least 2.
     */
    @Override
    public int defaultParallelism() {
        int configured = environment.config().get(EmberKeys.DEFAULT_PARALLELISM);
        if (configured > 0) {
            return configured;
        }
        int cores = scheduler.totalCores();
        if (cores == 0) {
            cores = runtime.expectedCores();
        }
        return Math.max(2, cores);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The job's tasks compete in the pool this thread names with {@link #POOL_PROPERTY}
     * ({@link TaskScheduler#DEFAULT_POOL} when it names none).
     */
    @Override
    public <R> JobResult<R> runJob(Job job) {
        ensureOpen();
        String pool = getLocalProperty(POOL_PROPERTY);
        String jobPool = pool == null ? TaskScheduler.DEFAULT_POOL : pool;
        JobResult<R> result = stages.runJob(job, jobPool, applicationLoader);
        lastJob.set(result.summary());
        return result;
    }

    @Override
    public void unpersist(int datasetId) {
        scheduler.unpersist(datasetId);
    }

    @Override
    public void shuffleDefined(Object owner, int shuffleId) {
        if (cleaner != null) {
            cleaner.shuffleDefined(owner, shuffleId);
        }
    }

    @Override
    public void datasetPersisted(Dataset<?> dataset) {
        if (cleaner != null) {
            cleaner.datasetPersisted(dataset, dataset.id());
        }
    }

    /** Shuffles the context cleaner has cleaned up so far (0 without reference tracking). */
    public long shufflesCleaned() {
        return cleaner == null ? 0 : cleaner.shufflesCleaned();
    }

    /** What the last job that finished took; empty before the first. */
    public Optional<JobSummary> lastJobSummary() {
        return Optional.ofNullable(lastJob.get());
    }

    /**
     * Cancels a running job (by the number in its {@link JobSummary#jobId()} and log lines): its
     * running stage's tasks are killed, its later stages do not run, and its caller gets a
     * {@link JobFailedException}.
     */
    public void cancelJob(int jobId) {
        scheduler.cancelJob(new JobId(jobId), "cancelled on request");
    }

    /** Cancels every running job. */
    public void cancelAllJobs() {
        scheduler.cancelAllJobs("cancelled on request");
    }

    // ---- Pools and thread-local properties --------------------------------------------------------

    /**
     * Sets a property of the jobs this thread (and threads it starts afterwards) submits; {@code null}
     * removes it. {@link #POOL_PROPERTY} names the scheduler pool. Other keys are kept for the
     * application's own use.
     *
     * @throws IllegalArgumentException when {@code key} is {@link #POOL_PROPERTY} and the value is not
     *     a pool name (lower-case letters, digits and {@code -})
     */
    public void setLocalProperty(String key, String value) {
        requireNonNull(key, "key is null");
        if (POOL_PROPERTY.equals(key) && value != null) {
            TaskScheduler.checkPoolName(value);
        }
        Map<String, String> properties = new HashMap<>(localProperties.get());
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        localProperties.set(Map.copyOf(properties));
    }

    /** A property this thread set (or inherited from the thread that started it), or {@code null}. */
    public String getLocalProperty(String key) {
        return localProperties.get().get(requireNonNull(key, "key is null"));
    }

    /**
     * Runs {@code work} with this thread's jobs in {@code pool}, then restores the pool it had:
     * {@code ember.inPool("reports", () -> daily.count())}.
     *
     * @throws IllegalArgumentException when {@code pool} is not a pool name
     */
    public <T> T inPool(String pool, Supplier<T> work) {
        requireNonNull(work, "work is null");
        String previous = getLocalProperty(POOL_PROPERTY);
        setLocalProperty(POOL_PROPERTY, requireNonNull(pool, "pool is null"));
        try {
            return work.get();
        } finally {
            setLocalProperty(POOL_PROPERTY, previous);
        }
    }

    /** {@link #inPool(String, Supplier)} for work without a result. */
    public void inPool(String pool, Runnable work) {
        requireNonNull(work, "work is null");
        inPool(pool, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Each scheduler pool with its weight, minShare, mode, running tasks and pending tasks, as the
     * selected scheduling policy reports them ({@code fifo} reports the pools jobs named, with weight
     * 1; {@code fair} also its declared pools). A snapshot.
     */
    public List<GroupStatus> schedulingPools() {
        ensureOpen();
        return scheduler.pools();
    }

    /** Registers a listener of jobs and tasks; see {@link SchedulerListener} for its thread. */
    public void addListener(SchedulerListener listener) {
        scheduler.addListener(listener);
    }

    /** Unregisters a listener. */
    public void removeListener(SchedulerListener listener) {
        scheduler.removeListener(listener);
    }

    // ---- The application --------------------------------------------------------------------------

    /** The id of the application ({@code local-...} in {@code local[N]} mode, else the master's). */
    public String applicationId() {
        return application.applicationId();
    }

    @Override
    public ApplicationInfo application() {
        return application;
    }

    /** {@code ember.master}, parsed. */
    public MasterUrl masterUrl() {
        return masterUrl;
    }

    @Override
    public List<ExecutorInfo> executors() {
        return runtime.executors();
    }

    /**
     * Waits until at least {@code count} executors have registered with this driver ({@code local[N]}
     * has one, at once).
     *
     * @return the executors registered then
     * @throws ExecutorWaitTimeoutException when fewer did within {@code timeout}, saying how many
     * @throws ApplicationFailedException when the cluster gave the application up meanwhile (its
     *     executors could not start, say), at once, saying why
     * @throws IllegalStateException when the context is closed, also while this waits
     */
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        ensureOpen();
        try {
            return runtime.awaitExecutors(count, timeout);
        } catch (ExecutorWaitTimeoutException e) {
            ensureOpen();   // closed while waiting (the process is stopping, say): that is the news, not the count
            throw e;
        }
    }

    /**
     * Asks the cluster for {@code total} executors in all; the latest call wins. Executors beyond
     * the total are not killed (use {@link #killExecutors}); requests not yet granted above it are
     * cancelled. How the request combines with the allocation policy's own decisions:
     * <ul>
     *   <li>{@code static}: the total becomes the policy's request and stays until the next call.</li>
     *   <li>{@code dynamic}: the total, clamped to [minExecutors, maxExecutors], becomes the target
     *       and is held until the next stage is submitted or an executor idles out; from then on
     *       the policy adds and releases executors as usual (idle executors are still released
     *       after executorIdleTimeout).</li>
     * </ul>
     * See {@code docs/allocation.md}.
     *
     * @return whether the request reached the cluster manager now (it is retried otherwise)
     * @throws IllegalArgumentException when {@code total} is negative
     * @throws UnsupportedOperationException in {@code local[N]} mode, or when the allocation policy
     *     does not take requests
     */
    public boolean requestTotalExecutors(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        return allocation("requestTotalExecutors(" + total + ")").request("requestTotalExecutors",
                policy -> policy.requestTotalExecutors(total));
    }

    /**
     * Asks for {@code count} executors on top of the allocation policy's current target (under
     * {@code dynamic}, still at most maxExecutors). Otherwise as {@link #requestTotalExecutors}.
     *
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public boolean requestExecutors(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        return allocation("requestExecutors(" + count + ")").request("requestExecutors",
                policy -> policy.requestExecutors(count));
    }

    /**
     * Kills these executors, with the tasks running on them (the tasks run again elsewhere, without
     * counting as failures), and lowers the allocation policy's target by as many, so that they are
     * not replaced at once. Unlike Spark, this works under dynamic allocation too: there the target
     * never drops below minExecutors (so a kill below it is replaced), and a backlog may raise it
     * again later. Ids of executors the application does not hold are ignored.
     *
     * @return whether a kill was sent to the cluster manager (false when no id was known)
     * @throws UnsupportedOperationException in {@code local[N]} mode, or when the allocation policy
     *     does not take kills
     */
    public boolean killExecutors(Collection<String> executorIds) {
        List<String> ids = List.copyOf(requireNonNull(executorIds, "executorIds is null"));
        if (ids.isEmpty()) {
            return false;
        }
        return allocation("killExecutors(" + ids + ")").request("killExecutors", policy -> policy.killExecutors(ids));
    }

    /** {@link #killExecutors} of one executor. */
    public boolean killExecutor(String executorId) {
        return killExecutors(List.of(requireNonNull(executorId, "executorId is null")));
    }

    /**
     * The ids of the executors registered with this driver now, sorted; in {@code local[N]} mode the
     * one in-process executor's. An executor killed or released leaves this list when its process
     * has gone.
     */
    public List<String> getExecutorIds() {
        return executors().stream().map(ExecutorInfo::executorId).sorted().toList();
    }

    /**
     * The driver's metrics now, by name: jobs started, succeeded and failed ({@code jobs.*}), stages
     * submitted, completed and failed ({@code stages.*}), counted as the scheduler's listeners hear
     * of them (a moment after the action returns); executors added, removed and live, and every
     * allocation decision ({@code allocation.target.raised}, {@code allocation.target.lowered},
     * {@code allocation.executors.requested}, {@code allocation.executors.released} by the policy,
     * {@code allocation.executors.killed} at the application's request, {@code allocation.target}).
     * See {@code docs/allocation.md}.
     */
    public SortedMap<String, Long> metrics() {
        return metrics.snapshot();
    }

    private AllocationLoop allocation(String request) {
        ensureOpen();
        return runtime.allocation(request);
    }

    /** The application's configuration (with the settings given to this context applied). */
    public EmberConfig config() {
        return environment.config();
    }

    /** The cluster's name; empty in {@code local[N]} mode. */
    public String cluster() {
        return runtime.cluster();
    }

    /** The ZooKeeper ensemble of the cluster; empty in {@code local[N]} mode. */
    public String zookeeperConnect() {
        return runtime.zookeeperConnect();
    }

    /** {@code host:port} executors reach this driver at; empty in {@code local[N]} mode. */
    public String driverAddress() {
        return runtime.driverAddress();
    }

    DriverEndpoint endpoint() {
        return runtime.endpoint();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this context (application " + application.applicationId()
                    + ") is closed");
        }
    }

    /**
     * Ends the application: fails jobs still running, closes the allocation policy, unregisters the
     * application (the master stops its executors), sends {@code Shutdown} to every executor,
     * deletes the driver's node and closes the connections, the local cluster if one was started,
     * and the plugins. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping application {}", application.applicationId());
        applications.remove(this);
        if (cleaner != null) {
            cleaner.close();
        }
        if (reloader != null) {
            reloader.close();
        }
        ClusterSession.quietly("the task scheduler", scheduler::close);
        ClusterSession.quietly("the web UI and event log", monitor::close);
        runtime.close();
        ClusterSession.quietly("the plugins", environment::close);
    }

    /** The application's web UI and REST API, e.g. {@code http://127.0.0.1:4040}; empty when ember.ui.port is 0. */
    public Optional<String> uiUrl() {
        return monitor.uiUrl();
    }

    @Override
    public String toString() {
        return "EmberContext[application=" + application.applicationId() + ", master=" + masterUrl
                + (runtime.driverAddress().isEmpty() ? "" : ", driver=" + runtime.driverAddress())
                + (closed.get() ? ", closed" : "")
                + "]";
    }

    /**
     * Builds an {@link EmberContext}. The settings given here are the application's own, the
     * highest precedence over every other source.
     */
    public static final class Builder {

        private final Map<String, String> settings = new LinkedHashMap<>();
        private ClusterLauncher launcher;
        private Clock clock = Clock.systemUTC();
        private boolean isolated;
        private Path confDir;
        private RunningApplications applications = RunningApplications.ofProcess();

        private Builder() {
        }

        /** {@code ember.master}: {@code local-cluster[W,C]} or {@code ember://<zookeeper-connect>/<cluster>}. */
        public Builder master(String masterUrl) {
            return set(EmberKeys.MASTER.name(), masterUrl);
        }

        /** {@code ember.app.name}. */
        public Builder appName(String name) {
            return set(EmberKeys.APP_NAME.name(), name);
        }

        /** One setting by its full key; the last value set for a key wins. */
        public Builder set(String key, String value) {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value of " + key + " is null");
            settings.put(key, value);
            return this;
        }

        /** Several settings, as {@link #set} each. */
        public Builder setAll(Map<String, String> more) {
            requireNonNull(more, "settings is null").forEach(this::set);
            return this;
        }

        /** What starts a cluster for {@code local-cluster[W,C]}; by default one found by {@link ServiceLoader}. */
        public Builder clusterLauncher(ClusterLauncher launcher) {
            this.launcher = requireNonNull(launcher, "launcher is null");
            return this;
        }

        /** The clock of heartbeat timeouts and of the allocation policy; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Ignores this process's environment, system properties and configuration directory: only
         * the settings given to this builder (and the defaults) apply. For tests and embedding.
         */
        public Builder isolated() {
            this.isolated = true;
            return this;
        }

        /**
         * Reads the configuration files ({@code ember.properties}, {@code scheduler-fair.properties},
         * ...) from this directory instead of {@code EMBER_CONF_DIR} or {@code $EMBER_HOME/conf}, also
         * when {@link #isolated()}. The scheduler's file there is watched for changes
         * ({@code ember.scheduler.reloadInterval}).
         */
        public Builder confDir(Path confDir) {
            this.confDir = requireNonNull(confDir, "confDir is null");
            return this;
        }

        /**
         * Where the context is listed while it runs: {@link RunningApplications#ofProcess()} by
         * default, whose applications {@code ember submit} stops when told to. For tests, and for
         * embedding contexts that something else stops.
         */
        public Builder applications(RunningApplications applications) {
            this.applications = requireNonNull(applications, "applications is null");
            return this;
        }

        /**
         * Starts the application.
         *
         * @throws IllegalStateException also when this process stops its applications ({@code ember
         *     submit} was told to stop): none starts any more
         * @see EmberContext#create(Map)
         */
        public EmberContext build() {
            LaunchContext launch = isolated
                    ? new LaunchContext(Optional.empty(), Optional.ofNullable(confDir), Map.of(), Map.of(), settings)
                    : LaunchContext.fromProcess(confDir, settings);
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return ContextStartup.start(launch, Optional.ofNullable(launcher), clock,
                    loader != null ? loader : EmberContext.class.getClassLoader(), applications);
        }
    }
}
