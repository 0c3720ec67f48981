package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.driver.endpoint.ExecutorListener;
import io.ember.core.driver.endpoint.ExecutorSetup;
import io.ember.core.driver.endpoint.ServedJar;
import io.ember.core.memory.MemorySettings;
import io.ember.core.scheduler.ShuffleActivity;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.shuffle.MapOutputSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The runtime of {@code local-cluster[W,C]} and {@code ember://...}: the application's
 * {@link ClusterSession} (the local cluster if one was started, ZooKeeper, the driver endpoint, the
 * master client and the allocation policy), seen as a {@link DriverRuntime}.
 *
 * <p>Thread-safe, as the session is.
 */
final class ClusterRuntime implements DriverRuntime {

    private final ClusterSession session;

    private ClusterRuntime(ClusterSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    /**
     * Connects to (or starts) the cluster, registers the application and starts its allocation
     * policy. Whatever fails, what was started is closed again and the error is thrown.
     */
    static ClusterRuntime start(MasterUrl url, EmberEnvironment environment, Optional<ClusterLauncher> launcher,
                                TaskScheduler scheduler, List<ServedJar> jars, MapOutputSnapshots mapOutputs,
                                Clock clock, DriverMetrics metrics, String uiUrl) {
        EmberConfig config = environment.config();
        ExecutorSetup setup = new ExecutorSetup(jars, config.get(EmberKeys.TASK_MAX_DIRECT_RESULT_SIZE),
                new MemorySettings(config.get(EmberKeys.MEMORY_FRACTION), config.get(EmberKeys.MEMORY_STORAGE_FRACTION)),
                config.get(EmberKeys.DRIVER_MAX_RESULT_SIZE),
                config.get(EmberKeys.SERIALIZER), mapOutputs);
        return new ClusterRuntime(ClusterSession.start(url, environment, launcher, scheduler, setup, clock, metrics,
                uiUrl));
    }

    @Override
    public ApplicationInfo application() {
        return session.application;
    }

    @Override
    public int expectedCores() {
        return session.expectedCores();
    }

    @Override
    public ShuffleActivity shuffleActivity() {
        return session.shuffleActivity();
    }

    @Override
    public void whenShuffleFilesLost(Runnable forgetOutputs) {
        session.status.whenShuffleFilesLost(forgetOutputs);
    }

    @Override
    public void addDecisionListener(DriverAllocationClient.DecisionListener listener) {
        session.addDecisionListener(listener);
    }

    @Override
    public void addExecutorListener(ExecutorListener listener) {
        session.endpoint.addListener(listener);
    }

    /** The leader master's web UI, once known. */
    Optional<String> masterUiUrl() {
        return session.client.leaderUiUrl();
    }

    /** Whether the driver's ZooKeeper client is connected now. */
    boolean zooKeeperConnected() {
        return session.zooKeeperConnected();
    }

    @Override
    public List<ExecutorInfo> executors() {
        return session.endpoint.executors();
    }

    @Override
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        List<ExecutorInfo> executors = session.endpoint.awaitExecutors(count, timeout,
                () -> session.status.failure().isPresent());
        Optional<String> failure = session.status.failure();
        if (failure.isPresent() && executors.size() < count) {
            throw new ApplicationFailedException(failure.get());
        }
        if (executors.size() < count) {
            throw new ExecutorWaitTimeoutException("only " + executors.size() + " of " + count + " executor(s) of "
                    + "application " + session.application.applicationId() + " registered with the driver within "
                    + Durations.format(timeout) + session.status.explainMissingExecutors(session.endpoint.address()),
                    executors.size(), count);
        }
        return executors;
    }

    @Override
    public AllocationLoop allocation(String request) {
        return session.allocation();
    }

    @Override
    public void schedulingPolicyReloaded(SchedulingPolicy policy) {
        session.schedulingPolicyReloaded(policy);
    }

    @Override
    public String cluster() {
        return session.cluster;
    }

    @Override
    public String zookeeperConnect() {
        return session.zookeeperConnect;
    }

    @Override
    public String driverAddress() {
        return session.endpoint.address();
    }

    @Override
    public DriverEndpoint endpoint() {
        return session.endpoint;
    }

    @Override
    public void close() {
        session.close();
    }
}
