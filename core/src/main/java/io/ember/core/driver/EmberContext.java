package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.Driver;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.MasterUrl.ClusterUrl;
import io.ember.core.driver.MasterUrl.LocalClusterUrl;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application author's entry point: one application on an Ember cluster, from start to
 * {@link #close()}.
 *
 * <pre>{@code
 * try (EmberContext ember = EmberContext.builder()
 *         .master("ember://zk1:2181,zk2:2181/prod")
 *         .appName("nightly-report")
 *         .set("ember.executor.instances", "4")
 *         .build()) {
 *     ember.awaitExecutors(4, Duration.ofMinutes(1));
 *     ...
 * }
 * }</pre>
 *
 * <p>Starting a context loads the configuration like every Ember process (defaults, files,
 * {@code EMBER_*} environment, {@code -D} properties, then the settings given here, which win),
 * parses {@code ember.master}, starts a local cluster for {@code local-cluster[W,C]} (through a
 * {@link ClusterLauncher}), connects to ZooKeeper, starts the {@link DriverEndpoint} executors
 * connect to, registers the application with the leader master ({@link ApplicationClient}) and
 * starts the selected allocation policy ({@code ember.allocation}), which asks for executors.
 * Whatever fails, the error is one line for an operator and everything started so far is closed.
 *
 * <p>{@link #close()} unregisters the application (the master stops its executors), sends every
 * executor a {@code Shutdown}, deletes the driver's liveness node and closes everything. No JVM
 * shutdown hook is installed: if the process dies instead, the master ends the application when
 * the driver's ZooKeeper session expires.
 *
 * <p>Thread-safe: the queries are snapshots; {@link #close()} is idempotent.
 */
public final class EmberContext implements Driver {

    private static final Logger LOG = LoggerFactory.getLogger(EmberContext.class);

    private final EmberEnvironment environment;
    private final ApplicationInfo application;
    private final String cluster;
    private final String zookeeperConnect;
    private final Optional<ClusterHandle> localCluster;
    private final CuratorFramework zookeeper;
    private final RpcChannels channels;
    private final DriverEndpoint endpoint;
    private final ApplicationClient client;
    private final AllocationLoop allocation;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmberContext(Started started) {
        this.environment = started.environment;
        this.application = started.application;
        this.cluster = started.cluster;
        this.zookeeperConnect = started.zookeeperConnect;
        this.localCluster = Optional.ofNullable(started.localCluster);
        this.zookeeper = started.zookeeper;
        this.channels = started.channels;
        this.endpoint = started.endpoint;
        this.client = started.client;
        this.allocation = started.allocation;
    }

    /**
     * Starts an application with these settings on top of the process's configuration (full keys,
     * e.g. {@code ember.master}, {@code ember.app.name}).
     *
     * @throws io.ember.core.config.ConfigException listing every configuration problem
     * @throws IllegalArgumentException when {@code ember.master} is missing or not a master URL
     * @throws io.ember.core.coordination.CoordinationException when ZooKeeper is unreachable or no
     *     leader master appears in time
     * @throws IllegalStateException when the master refuses the application
     */
    public static EmberContext create(Map<String, String> settings) {
        return builder().setAll(settings).build();
    }

    /** A builder of a context. */
    public static Builder builder() {
        return new Builder();
    }

    /** The id the master gave the application. */
    public String applicationId() {
        return application.applicationId();
    }

    @Override
    public ApplicationInfo application() {
        return application;
    }

    @Override
    public List<ExecutorInfo> executors() {
        return endpoint.executors();
    }

    /**
     * Waits until at least {@code count} executors have registered with this driver.
     *
     * @return the executors registered then
     * @throws ExecutorWaitTimeoutException when fewer did within {@code timeout}, saying how many
     */
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        return endpoint.awaitExecutors(count, timeout);
    }

    /** The application's configuration (with the settings given to this context applied). */
    public EmberConfig config() {
        return environment.config();
    }

    /** The cluster's name. */
    public String cluster() {
        return cluster;
    }

    /** The ZooKeeper ensemble of the cluster. */
    public String zookeeperConnect() {
        return zookeeperConnect;
    }

    /** {@code host:port} executors reach this driver at. */
    public String driverAddress() {
        return endpoint.address();
    }

    /** Where the allocation policy asks for executors; for the scheduler of the next layer. */
    ExecutorAllocationClient allocationClient() {
        return client;
    }

    DriverEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Ends the application: closes the allocation policy, unregisters the application (the master
     * stops its executors), sends {@code Shutdown} to every executor, deletes the driver's node and
     * closes the connections, the local cluster if one was started, and the plugins. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping application {}", application.applicationId());
        quietly("the allocation policy", allocation::close);
        quietly("unregistering the application", client::unregister);
        quietly("shutting down executors",
                () -> endpoint.shutdownAll("application " + application.applicationId() + " ended"));
        quietly("the master client", client::close);
        quietly("the driver endpoint", endpoint::close);
        quietly("the RPC channels", channels::close);
        quietly("the ZooKeeper client", zookeeper::close);
        localCluster.ifPresent(handle -> quietly("the local cluster", handle::close));
        quietly("the plugins", environment::close);
    }

    @Override
    public String toString() {
        return "EmberContext[application=" + application.applicationId() + ", cluster=" + cluster + ", driver="
                + endpoint.address() + (closed.get() ? ", closed" : "") + "]";
    }

    private static void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("While stopping the application, {} failed: {}", what, e.toString());
        }
    }

    // ---- start-up ---------------------------------------------------------------------------------

    /** What start-up has created so far; closed in reverse order when a later step fails. */
    private static final class Started {
        final Deque<Runnable> undo = new ArrayDeque<>();
        EmberEnvironment environment;
        ApplicationInfo application;
        String cluster;
        String zookeeperConnect;
        ClusterHandle localCluster;
        CuratorFramework zookeeper;
        RpcChannels channels;
        DriverEndpoint endpoint;
        ApplicationClient client;
        AllocationLoop allocation;

        void undoAll() {
            while (!undo.isEmpty()) {
                quietly("cleaning up after a failed start", undo.pop());
            }
        }
    }

    static EmberContext start(LaunchContext launch, Optional<ClusterLauncher> launcher, Clock clock) {
        requireNonNull(launch, "launch is null");
        requireNonNull(launcher, "launcher is null");
        requireNonNull(clock, "clock is null");
        Started s = new Started();
        try {
            s.environment = new Bootstrap(launch).load();
            s.undo.push(s.environment::close);
            EmberConfig config = s.environment.config();

            MasterUrl url = MasterUrl.parse(config.core().find(EmberKeys.MASTER).orElseThrow(() ->
                    new IllegalArgumentException("ember.master is not set; set it to local-cluster[W,C] to run a "
                            + "cluster on this machine, or to ember://<zookeeper-connect>/<cluster> to use a running "
                            + "cluster")));
            if (url instanceof LocalClusterUrl local) {
                ClusterLauncher found = launcher.or(EmberContext::discoveredLauncher).orElseThrow(() ->
                        new IllegalStateException("ember.master '" + local + "' needs the local-cluster runtime, which "
                                + "is not available to this driver; use ember://<zookeeper-connect>/<cluster>"));
                LOG.info("Starting a local cluster: {}", local);
                s.localCluster = found.start(local, s.environment);
                s.undo.push(s.localCluster::close);
                s.zookeeperConnect = s.localCluster.zookeeperConnect();
                s.cluster = s.localCluster.cluster();
            } else {
                ClusterUrl remote = (ClusterUrl) url;
                s.zookeeperConnect = remote.zookeeperConnect();
                s.cluster = remote.cluster();
                warnIfOverridden(config, EmberKeys.ZOOKEEPER_CONNECT, s.zookeeperConnect);
                warnIfOverridden(config, EmberKeys.CLUSTER, s.cluster);
            }

            Duration heartbeatInterval = config.get(EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL);
            Duration heartbeatTimeout = config.get(EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT);
            if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException(EmberKeys.EXECUTOR_HEARTBEAT_TIMEOUT.name() + " ("
                        + Durations.format(heartbeatTimeout) + ") must be longer than "
                        + EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL.name() + " (" + Durations.format(heartbeatInterval)
                        + "), or every executor is dropped as silent");
            }
            Optional<String> secret = config.core().find(EmberKeys.AUTH_SECRET);
            s.zookeeper = ZooKeeperClients.connect(new ZooKeeperSettings(s.zookeeperConnect,
                    config.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT), config.get(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT),
                    secret));
            s.undo.push(s.zookeeper::close);

            s.endpoint = DriverEndpoint.start(config.get(EmberKeys.HOST), config.get(EmberKeys.DRIVER_PORT), secret,
                    heartbeatInterval, heartbeatTimeout, clock);
            s.undo.push(s.endpoint::close);
            s.channels = new RpcChannels("driver-client", secret);
            s.undo.push(s.channels::close);

            Duration rpcTimeout = config.get(EmberKeys.RPC_TIMEOUT);
            s.client = new ApplicationClient(s.zookeeper, new ClusterPaths(s.cluster), s.channels, rpcTimeout,
                    rpcTimeout, s.endpoint::executorIds);
            s.undo.push(s.client::close);
            ApplicationSpec spec = applicationSpec(config, s.cluster, s.endpoint.address());
            // Executors come from the allocation policy's first request, made once it starts.
            String appId = s.client.register(spec, 0);
            s.application = new ApplicationInfo(appId, spec.getName(), spec.getQueue(), spec.getCoresPerExecutor(),
                    spec.getMemoryPerExecutorBytes());

            AllocationPolicyFactory factory = s.environment.selected().allocation();
            AllocationContext context = new DriverAllocationContext(appId, s.client, clock,
                    config.get(EmberKeys.EXECUTOR_CORES), config.get(EmberKeys.EXECUTOR_INSTANCES),
                    config.get(EmberKeys.TASK_CPUS));
            AllocationPolicy policy = factory.create(config.policy(PolicyKind.ALLOCATION, factory.name()), context);
            s.allocation = new AllocationLoop(policy, appId);
            s.undo.push(s.allocation::close);
            s.endpoint.addListener(s.allocation);
            s.endpoint.bindApplication(appId);   // before the policy asks: executors may then register
            s.allocation.start();
            LOG.info("Application {} ('{}') started on cluster {} (ZooKeeper {}); driver at {}, allocation policy {}",
                    appId, spec.getName(), s.cluster, s.zookeeperConnect, s.endpoint.address(), factory.name());
            return new EmberContext(s);
        } catch (RuntimeException | Error e) {
            s.undoAll();
            throw e;
        }
    }

    /** The application as the master sees it, {@code app_id} empty (the master assigns one). */
    static ApplicationSpec applicationSpec(EmberConfig config, String cluster, String driverAddress) {
        Map<String, String> executorSettings = new LinkedHashMap<>();
        executorSettings.put(EmberKeys.CLUSTER.name(), cluster);
        executorSettings.put(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.name(), text(config, EmberKeys.ZOOKEEPER_SESSION_TIMEOUT));
        executorSettings.put(EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL.name(),
                text(config, EmberKeys.EXECUTOR_HEARTBEAT_INTERVAL));
        return ApplicationSpec.newBuilder()
                .setName(config.get(EmberKeys.APP_NAME))
                .setQueue(config.get(EmberKeys.APP_QUEUE))
                .setCoresPerExecutor(config.get(EmberKeys.EXECUTOR_CORES))
                .setMemoryPerExecutorBytes(config.get(EmberKeys.EXECUTOR_MEMORY))
                .setDriverAddress(driverAddress)
                .putAllExecutorSettings(executorSettings)
                .build();
    }

    private static <T> String text(EmberConfig config, ConfigKey<T> key) {
        return key.type().format(config.get(key));
    }

    private static void warnIfOverridden(EmberConfig config, ConfigKey<String> key, String fromUrl) {
        config.core().find(key).filter(value -> config.core().isSet(key.name()) && !value.equals(fromUrl))
                .ifPresent(value -> LOG.warn("{}={} ({}) is ignored: ember.master names {}", key.name(), value,
                        config.core().origin(key.name()), fromUrl));
    }

    private static Optional<ClusterLauncher> discoveredLauncher() {
        return ServiceLoader.load(ClusterLauncher.class, EmberContext.class.getClassLoader()).findFirst();
    }

    /** What the allocation policy may use; immutable. */
    private record DriverAllocationContext(String applicationId, ExecutorAllocationClient client, Clock clock,
                                           int coresPerExecutor, int configuredExecutors, int coresPerTask)
            implements AllocationContext {
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
         * Starts the application.
         *
         * @see EmberContext#create(Map)
         */
        public EmberContext build() {
            LaunchContext launch = isolated
                    ? new LaunchContext(Optional.empty(), Optional.empty(), Map.of(), Map.of(), settings)
                    : LaunchContext.fromProcess(null, settings);
            return start(launch, Optional.ofNullable(launcher), clock);
        }
    }
}
