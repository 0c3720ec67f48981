package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Durations;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.ServerAddress;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.coordination.ClusterOwnership;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.MasterUrl.ClusterUrl;
import io.ember.core.driver.MasterUrl.LocalClusterUrl;
import io.ember.core.driver.client.ApplicationClient;
import io.ember.core.driver.client.ApplicationDescriptor;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.driver.endpoint.ExecutorListener;
import io.ember.core.driver.endpoint.ExecutorRegistryWatch;
import io.ember.core.driver.endpoint.ExecutorSetup;
import io.ember.core.driver.endpoint.ExecutorTraffic;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.scheduler.ShuffleActivity;
import io.ember.core.scheduler.TaskScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver's link to a cluster ({@code local-cluster[W,C]} or {@code ember://...}): the local
 * cluster it started, if any, its ZooKeeper session, the endpoint its executors connect to, the
 * master client that registered the application, the allocation policy, and the watch on the
 * executor registry. Executors joining and leaving, and what they send, are fed to the
 * {@link TaskScheduler}.
 *
 * <p>Thread-safe; {@link #close()} is called once, by {@link EmberContext}.
 */
final class ClusterSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSession.class);

    private final Parts parts;
    final ApplicationInfo application;
    final String cluster;
    final String zookeeperConnect;
    final DriverEndpoint endpoint;
    final ApplicationClient client;
    /** What the leader says about the application: failed executors, why executors are missing, its failure. */
    final ApplicationStatus status;
    private final int expectedCores;

    /** Whether the driver's ZooKeeper client is connected now. */
    boolean zooKeeperConnected() {
        return parts.zookeeper.getZookeeperClient().isConnected();
    }

    private ClusterSession(Parts parts) {
        this.parts = parts;
        this.application = parts.application;
        this.cluster = parts.cluster;
        this.zookeeperConnect = parts.zookeeperConnect;
        this.endpoint = parts.endpoint;
        this.client = parts.client;
        this.status = parts.status;
        this.expectedCores = parts.expectedCores;
    }

    /** Cores the application expects to hold (instances x cores), before its executors register. */
    int expectedCores() {
        return expectedCores;
    }

    /**
     * Connects to (or starts) the cluster, registers the application and starts its allocation
     * policy. Whatever fails, what was started is closed again and the error is thrown.
     */
    static ClusterSession start(MasterUrl url, EmberEnvironment environment, Optional<ClusterLauncher> launcher,
                                TaskScheduler scheduler, ExecutorSetup setup, Clock clock, DriverMetrics metrics,
                                String uiUrl) {
        Parts s = new Parts();
        try {
            EmberConfig config = environment.config();
            if (url instanceof LocalClusterUrl local) {
                ClusterLauncher found = launcher.or(ClusterSession::discoveredLauncher).orElseThrow(() ->
                        new IllegalStateException("ember.master '" + local + "' needs the local-cluster runtime, which "
                                + "is not available to this driver; use ember://<zookeeper-connect>/<cluster>"));
                LOG.info("Starting a local cluster: {}", local);
                ClusterHandle handle = found.start(local, environment);
                s.localCluster = handle;
                s.undo.push(() -> quietly("the local cluster", handle::close));
                s.zookeeperConnect = handle.zookeeperConnect();
                s.cluster = handle.cluster();
            } else {
                ClusterUrl remote = (ClusterUrl) url;
                s.zookeeperConnect = remote.zookeeperConnect();
                s.cluster = remote.cluster();
                warnIfOverridden(config, EmberKeys.ZOOKEEPER_CONNECT, s.zookeeperConnect);
                warnIfOverridden(config, EmberKeys.CLUSTER, s.cluster);
                OpenClusterWarning.warnIfOpen(config, "driver");
            }

            Duration heartbeatInterval = config.get(EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL);
            Duration heartbeatTimeout = config.get(EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT);
            if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException(EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT.name() + " ("
                        + Durations.format(heartbeatTimeout) + ") must be longer than "
                        + EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL.name() + " (" + Durations.format(heartbeatInterval)
                        + "), or every executor is dropped as silent");
            }
            ServerAddress address = ServerAddress.from(config, ServerAddress.Role.DRIVER, s.zookeeperConnect);
            Optional<String> secret = config.core().find(EmberKeys.AUTH_SECRET);
            ZooKeeperSettings zooKeeperSettings = new ZooKeeperSettings(s.zookeeperConnect,
                    config.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT), config.get(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT),
                    secret);
            CuratorFramework zookeeper = ZooKeeperClients.connect(zooKeeperSettings);
            s.zookeeper = zookeeper;
            s.undo.push(() -> quietly("the ZooKeeper client", zookeeper::close));
            ClusterPaths paths = new ClusterPaths(s.cluster);
            ClusterOwnership.verify(zookeeper, paths, zooKeeperSettings); // before anything is written under it

            s.endpoint = DriverEndpoint.start(address, config.get(EmberKeys.DRIVER_PORT), secret,
                    RpcLimits.from(config), heartbeatInterval, heartbeatTimeout, clock, setup, ExecutorTraffic.to(scheduler));
            DriverEndpoint endpoint = s.endpoint;
            s.undo.push(() -> quietly("the driver endpoint", endpoint::close));
            endpoint.addListener(new SchedulerFeed(endpoint, scheduler));
            RpcChannels channels = new RpcChannels("driver-client", secret);
            s.channels = channels;
            s.undo.push(() -> quietly("the RPC channels", channels::close));

            Duration rpcTimeout = config.get(EmberKeys.RPC_TIMEOUT);
            s.status = new ApplicationStatus(() -> s.client.applicationId(), scheduler, endpoint::wakeWaiters);
            scheduler.explainMissingExecutors(s.status::waitingReason);
            s.client = new ApplicationClient(zookeeper, paths, channels, rpcTimeout, rpcTimeout,
                    endpoint::executorIds, endpoint::executorIdsFrom, s.status);
            ApplicationClient client = s.client;
            s.undo.push(() -> quietly("the master client", client::close));
            ApplicationDescriptor descriptor = application(config, s.cluster, endpoint.address()).withUiUrl(uiUrl);
            // Executors come from the allocation policy's first request, made once it starts.
            String appId = client.register(descriptor, 0);
            s.undo.push(() -> quietly("unregistering the application", client::unregister));
            s.application = descriptor.info(appId);
            s.expectedCores = config.get(EmberKeys.EXECUTOR_INSTANCES) * config.get(EmberKeys.EXECUTOR_CORES);

            // An executor gets its session timeout to register again before the driver gives it up.
            ExecutorRegistryWatch registry = new ExecutorRegistryWatch(zookeeper, paths, appId,
                    config.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT), endpoint::executorIds, endpoint::drop);
            s.registry = registry;
            s.undo.push(() -> quietly("the executor registry watch", registry::close));

            metrics.declare(DriverMetrics.EXECUTORS_ADDED, DriverMetrics.EXECUTORS_REMOVED);
            metrics.gauge(DriverMetrics.EXECUTORS_LIVE, () -> endpoint.executorIds().size());
            endpoint.addListener(new ExecutorCounts(metrics));
            AllocationPolicyFactory factory = environment.selected().allocation();
            DriverAllocationClient allocationClient = new DriverAllocationClient(client, new SchedulerDrain(scheduler),
                    metrics);
            AllocationContext context = new DriverAllocationContext(appId, allocationClient, clock,
                    config.get(EmberKeys.EXECUTOR_CORES), config.get(EmberKeys.EXECUTOR_INSTANCES),
                    config.core().isSet(EmberKeys.EXECUTOR_INSTANCES.name()), config.get(EmberKeys.TASK_CPUS));
            AllocationPolicy policy = factory.create(config.policy(PolicyKind.ALLOCATION, factory.name()), context);
            s.allocationClient = allocationClient;
            AllocationLoop allocation = new AllocationLoop(policy, appId, allocationClient);
            s.allocation = allocation;
            s.undo.push(() -> quietly("the allocation policy", allocation::close));
            endpoint.addListener(allocation);
            s.feed = new AllocationFeed(allocation);
            scheduler.addListener(s.feed);
            endpoint.bindApplication(appId);   // before the policy asks: executors may then register
            registry.start();
            allocation.start();
            LOG.info("Application {} ('{}') started on cluster {} (ZooKeeper {}); driver at {}, allocation policy {}",
                    appId, descriptor.name(), s.cluster, s.zookeeperConnect, endpoint.address(), factory.name());
            return new ClusterSession(s);
        } catch (RuntimeException | Error e) {
            while (!s.undo.isEmpty()) {
                s.undo.pop().run();
            }
            throw e;
        }
    }

    /** Where the application's own executor requests go. */
    AllocationLoop allocation() {
        return parts.allocation;
    }

    /** Tells {@code listener} of the allocation policy's decisions from now on. */
    void addDecisionListener(DriverAllocationClient.DecisionListener listener) {
        parts.allocationClient.addDecisionListener(listener);
    }

    /** Hears which shuffles jobs need and which outputs executors serve themselves, for the allocation policy. */
    ShuffleActivity shuffleActivity() {
        return parts.feed;
    }

    /** The driver's scheduler settings were reloaded: a master running in this process follows them too. */
    void schedulingPolicyReloaded(SchedulingPolicy policy) {
        if (parts.localCluster != null) {
            parts.localCluster.replaceSchedulingPolicy(policy);
        }
    }

    /**
     * Ends the application: the allocation policy stops, the master unregisters the application (and
     * stops its executors), every executor is sent {@code Shutdown}, and the rest is closed in reverse
     * order of start.
     */
    void close() {
        quietly("the allocation policy", parts.allocation::close);
        quietly("the executor registry watch", parts.registry::close);
        quietly("unregistering the application", parts.client::unregister);
        quietly("shutting down executors",
                () -> endpoint.shutdownAll("application " + application.applicationId() + " ended"));
        quietly("the master client", parts.client::close);
        quietly("the driver endpoint", endpoint::close);
        quietly("the RPC channels", parts.channels::close);
        quietly("the ZooKeeper client", parts.zookeeper::close);
        if (parts.localCluster != null) {
            quietly("the local cluster", parts.localCluster::close);
        }
    }

    /** The application as the driver describes it to the master, its id empty (the master assigns one). */
    static ApplicationDescriptor application(EmberConfig config, String cluster, String driverAddress) {
        return ApplicationDescriptor.unregistered(config.get(EmberKeys.APP_NAME), config.get(EmberKeys.APP_QUEUE),
                config.get(EmberKeys.EXECUTOR_CORES), config.get(EmberKeys.EXECUTOR_MEMORY), driverAddress,
                ExecutorSettings.forLaunch(config, cluster))
                .withFailureLimits(config.get(EmberKeys.EXECUTOR_MAX_LAUNCH_FAILURES),
                        config.get(EmberKeys.EXECUTOR_MAX_FAILURES));
    }

    private static void warnIfOverridden(EmberConfig config, ConfigKey<String> key, String fromUrl) {
        config.core().find(key).filter(value -> config.core().isSet(key.name()) && !value.equals(fromUrl))
                .ifPresent(value -> LOG.warn("{}={} ({}) is ignored: ember.master names {}", key.name(), value,
                        config.core().origin(key.name()), fromUrl));
    }

    private static Optional<ClusterLauncher> discoveredLauncher() {
        return ServiceLoader.load(ClusterLauncher.class, ClusterSession.class.getClassLoader()).findFirst();
    }

    static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("While stopping the application, {} failed: {}", what, e.toString());
        }
    }

    /** What start-up has created so far; closed in reverse order when a later step fails. */
    private static final class Parts {
        final Deque<Runnable> undo = new ArrayDeque<>();
        ApplicationInfo application;
        String cluster;
        String zookeeperConnect;
        DriverEndpoint endpoint;
        ApplicationClient client;
        ApplicationStatus status;
        int expectedCores;
        ClusterHandle localCluster;
        CuratorFramework zookeeper;
        RpcChannels channels;
        ExecutorRegistryWatch registry;
        AllocationLoop allocation;
        DriverAllocationClient allocationClient;
        AllocationFeed feed;
    }

    /** What the allocation policy may use; immutable. */
    private record DriverAllocationContext(String applicationId, ExecutorAllocationClient client, Clock clock,
                                           int coresPerExecutor, int configuredExecutors,
                                           boolean configuredExecutorsSet, int coresPerTask)
            implements AllocationContext {
    }


    /** Takes executors out of the task scheduler before the allocation policy has them killed. */
    private record SchedulerDrain(TaskScheduler scheduler) implements DriverAllocationClient.Scheduling {
        @Override
        public void remove(String executorId, String reason) {
            scheduler.executorRemoved(executorId, reason);
        }

        @Override
        public Set<String> removeIdle(Collection<String> executorIds, String reason) {
            return scheduler.removeIdleExecutors(executorIds, reason);
        }
    }

    /** Counts executors joining and leaving in the driver's metrics. */
    private record ExecutorCounts(DriverMetrics metrics) implements ExecutorListener {
        @Override
        public void executorAdded(ExecutorInfo executor) {
            metrics.add(DriverMetrics.EXECUTORS_ADDED, 1);
        }

        @Override
        public void executorRemoved(ExecutorInfo executor, String reason) {
            metrics.add(DriverMetrics.EXECUTORS_REMOVED, 1);
        }
    }

    /** Tells the scheduler of executors joining and leaving. */
    private record SchedulerFeed(DriverEndpoint endpoint, TaskScheduler scheduler) implements ExecutorListener {
        @Override
        public void executorAdded(ExecutorInfo executor) {
            endpoint.handle(executor.executorId()).ifPresent(scheduler::executorAdded);
        }

        @Override
        public void executorRemoved(ExecutorInfo executor, String reason) {
            scheduler.executorRemoved(executor.executorId(), reason);
        }
    }
}
