package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.scheduler.ShuffleActivity;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.shuffle.MapOutputsSource;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of {@code local[N]}: one executor with N task threads in the driver's JVM, started
 * through the {@link LocalMode} service (it lives in {@code io.ember.core.local}), and nothing else:
 * no cluster, no executors to request or kill.
 *
 * <p>Thread-safe.
 */
final class LocalRuntime implements DriverRuntime {

    /** Logged as the context, so its lines read (and filter) as they always did. */
    private static final Logger LOG = LoggerFactory.getLogger(EmberContext.class);

    private final MasterUrl masterUrl;
    private final LocalMode.Executor executor;
    private final ApplicationInfo application;

    private LocalRuntime(MasterUrl masterUrl, LocalMode.Executor executor, ApplicationInfo application) {
        this.masterUrl = requireNonNull(masterUrl, "masterUrl is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.application = requireNonNull(application, "application is null");
    }

    /**
     * Starts the in-process executor and registers its threads with {@code scheduler}; if what
     * follows fails, closes it again.
     */
    static LocalRuntime start(MasterUrl.LocalUrl url, EmberEnvironment environment, TaskScheduler scheduler,
                              JavaSerializer serializer, ClassLoader applicationLoader, MapOutputsSource mapOutputs) {
        EmberConfig config = environment.config();
        LocalMode.Executor executor = localMode().start(url.threads(), config, environment.selected().shuffle(),
                scheduler, serializer, applicationLoader, mapOutputs);
        try {
            ApplicationInfo application = new ApplicationInfo(executor.info().applicationId(),
                    config.get(EmberKeys.APP_NAME), config.get(EmberKeys.APP_QUEUE), url.threads(),
                    Runtime.getRuntime().maxMemory());
            LOG.info("Application {} ('{}') started in local mode with {} task thread(s)",
                    application.applicationId(), application.name(), url.threads());
            return new LocalRuntime(url, executor, application);
        } catch (RuntimeException | Error e) {
            ClusterSession.quietly("the local executor", executor::close);
            throw e;
        }
    }

    /** The runtime of {@code local[N]}, found like the local cluster's launcher (it lives in {@code io.ember.core.local}). */
    private static LocalMode localMode() {
        return ServiceLoader.load(LocalMode.class, EmberContext.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("local[N] needs io.ember.core.local.LocalModeLauncher, "
                        + "part of ember-core, which is missing from the class path"));
    }

    @Override
    public ApplicationInfo application() {
        return application;
    }

    @Override
    public int expectedCores() {
        return 0;
    }

    @Override
    public ShuffleActivity shuffleActivity() {
        return ShuffleActivity.NONE;
    }

    @Override
    public List<ExecutorInfo> executors() {
        return List.of(executor.info());
    }

    /** {@code local[N]} has one executor, at once: asking for more fails at once. */
    @Override
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        if (count > 1) {
            throw new ExecutorWaitTimeoutException("local mode (" + masterUrl + ") has one executor, not "
                    + count, 1, count);
        }
        return executors();
    }

    @Override
    public AllocationLoop allocation(String request) {
        throw new UnsupportedOperationException(request + " needs a cluster: " + masterUrl + " runs every task in "
                + "this JVM, with no executors to request or kill; use local-cluster[W,C] or ember://...");
    }

    @Override
    public void schedulingPolicyReloaded(SchedulingPolicy policy) {
        // nothing else in this process schedules
    }

    @Override
    public String cluster() {
        return "";
    }

    @Override
    public String zookeeperConnect() {
        return "";
    }

    @Override
    public String driverAddress() {
        return "";
    }

    @Override
    public DriverEndpoint endpoint() {
        throw new IllegalStateException("local mode has no cluster");
    }

    @Override
    public void close() {
        ClusterSession.quietly("the local executor", executor::close);
    }
}
