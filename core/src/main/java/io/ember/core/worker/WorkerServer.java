package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.cluster.Worker;
import io.ember.api.cluster.WorkerInfo;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.core.config.ServerAddress;
import io.ember.core.coordination.ClusterOwnership;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.coordination.Registrations;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.executor.ExecutorMain;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RateLimitedWarning;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcServer;
import io.ember.core.web.WebCredentials;
import io.ember.core.web.WebServer;
import io.ember.core.worker.web.WorkerRoutes;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: offers its host's cores and memory to the cluster and runs executor JVMs on
 * the leader master's command.
 *
 * <p>Threading: thread-safe. {@link #close()} is idempotent; it stops the executors, then the
 * shuffle service.
 *
 * <p>Its full contract (its parts, start-up, commands, session expiry, web UI) is in the
 * {@code io.ember.core.worker} package documentation.
 */
public final class WorkerServer implements Worker {

    private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The embedded shuffle service's state directory, under the work directory. */
    public static final String SHUFFLE_SERVICE_DIRECTORY = ".shuffle-service";

    /**
     * Where a shuffle service on {@code port} keeps its state under {@code workDir}:
     * {@code .shuffle-service-<port>}, so that two services of one host (two workers sharing a work
     * directory, or a worker beside {@code ember shuffle-service}) never share it; plain
     * {@code .shuffle-service} for a service on any free port (0), whose work directory is its own.
     */
    public static Path shuffleServiceDirectory(Path workDir, int port) {
        return workDir.resolve(port > 0 ? SHUFFLE_SERVICE_DIRECTORY + "-" + port : SHUFFLE_SERVICE_DIRECTORY);
    }

    private final WorkerOptions options;
    private final WorkerShuffle shuffle;
    private final Optional<ShuffleServiceHost> shuffleService;
    private final String workerId;
    private final WorkerInfo info;
    private final ClusterPaths paths;
    private final RpcServer rpcServer;
    private final WorkerRpc service;
    private final CuratorFramework zooKeeper;
    private final LeaderTracker tracker;
    private final EpochFence fence = new EpochFence();
    /** A deposed master (or anyone) repeating commands cannot flood the log. */
    private final RateLimitedWarning staleCommands = new RateLimitedWarning(log, Duration.ofSeconds(10),
            Clock.systemUTC());
    private final RpcChannels channels;
    private final LeaderLink link;
    private final WorkerExecutors executors;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Its web server; set at start, before it registers with a leader. */
    private volatile Optional<WebServer> web = Optional.empty();

    /** The worker's node, set at start; re-created when the session is renewed. */
    private volatile WorkerNode node;
    /**
     * Removes what ended applications left behind (work directories, the embedded shuffle
     * service's files); none when work directories are kept and there is no embedded service.
     */
    private volatile WorkerCleanup cleanup;

    private WorkerServer(WorkerOptions options, WorkerShuffle shuffle, Optional<ShuffleServiceHost> shuffleService,
            String workerId, RpcServer rpcServer, WorkerRpc service, CuratorFramework zooKeeper) {
        this.options = options;
        this.shuffle = shuffle;
        this.shuffleService = shuffleService;
        this.workerId = workerId;
        this.rpcServer = rpcServer;
        this.service = service;
        this.zooKeeper = zooKeeper;
        this.paths = new ClusterPaths(options.cluster());
        this.info = new WorkerInfo(workerId, options.advertisedHost(), rpcServer.port(), shufflePort(), options.cores(),
                options.memoryBytes());
        this.tracker = new LeaderTracker(zooKeeper, paths);
        this.channels = new RpcChannels("worker-client", options.secret());
        this.link = new LeaderLink(workerId, new GrpcLeaderGateway(channels, options.rpcTimeout()), fence,
                this::registration);
        this.executors = new WorkerExecutors(workerId, options, shuffle, shufflePort(), shuffleService, link::report,
                closed::get);
    }

    /**
     * Starts a worker without a shuffle service ({@link WorkerShuffle#none()}): its executors serve
     * their own shuffle blocks.
     *
     * @see #start(WorkerOptions, WorkerShuffle)
     */
    public static WorkerServer start(WorkerOptions options) {
        return start(options, WorkerShuffle.none());
    }

    /**
     * Starts a worker (see the package documentation for the order) and returns once it has
     * registered its node; registering with the leader happens in the background, whenever there
     * is one.
     *
     * @throws UncheckedIOException when the RPC server cannot listen, or the shuffle service
     *     cannot start (the message names its address and {@code ember.shuffle.service.port})
     * @throws CoordinationException when ZooKeeper cannot be reached, the worker id is taken, or (with a
     *     secret) the cluster's nodes in ZooKeeper are not Ember's own ({@link ClusterOwnership})
     */
    public static WorkerServer start(WorkerOptions options, WorkerShuffle shuffle) {
        requireNonNull(options, "options is null");
        requireNonNull(shuffle, "shuffle is null");
        WorkerRpc service = new WorkerRpc();
        RpcServer rpcServer = RpcServer.start("worker", new ServerAddress(options.host(), options.advertisedHost()),
                options.port(), List.of(service), options.secret(), options.rpcLimits());
        CuratorFramework zooKeeper;
        try {
            zooKeeper = ZooKeeperClients.connect(options.zooKeeper());
        } catch (RuntimeException | Error e) {
            rpcServer.close();
            throw e;
        }
        try {
            ClusterOwnership.claim(zooKeeper, new ClusterPaths(options.cluster()), options.zooKeeper());
        } catch (RuntimeException | Error e) {
            zooKeeper.close();
            rpcServer.close();
            throw e;
        }
        Optional<ShuffleServiceHost> shuffleService;
        try {
            shuffleService = shuffle.service().filter(WorkerShuffle.Service::embedded)
                    .flatMap(wanted -> startShuffleService(options, wanted));
        } catch (RuntimeException | Error e) {
            zooKeeper.close();
            rpcServer.close();
            throw e;
        }
        String workerId = options.workerId().orElseGet(() -> generateId(options.advertisedHost(), rpcServer.port()));
        WorkerServer worker = new WorkerServer(options, shuffle, shuffleService, workerId, rpcServer, service,
                zooKeeper);
        try {
            worker.begin();
        } catch (RuntimeException | Error e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    /** Starts the embedded service; empty, with a warning, when the plugin has no external service. */
    private static Optional<ShuffleServiceHost> startShuffleService(WorkerOptions options, WorkerShuffle.Service wanted) {
        ShuffleServiceContext context = new ShuffleServiceContext(options.host(), wanted.port(),
                shuffleServiceDirectory(options.workDir(), wanted.port()), options.secret(), wanted.limits());
        try {
            return Optional.of(ShuffleServiceHost.start(wanted.factory(), wanted.settings(), context));
        } catch (UnsupportedOperationException e) {
            log.warn("The {} shuffle has no external service ({}); this worker's executors serve their own shuffle "
                    + "blocks, which are lost when they exit", wanted.factory().name(), e.getMessage());
            return Optional.empty();
        }
    }

    private void begin() {
        node = WorkerNode.create(new Registrations(zooKeeper, paths), info);
        node.whenSessionRenewed(closed::get, link::reregister);
        service.serve(new Commands());
        web = WebServer.startIfEnabled("worker", new ServerAddress(options.host(), options.advertisedHost()),
                options.ui(), WebCredentials.of(options.secret()), WorkerRoutes.of(new WorkerWebStatus(info,
                        options.workDir(), executors, tracker::current, shuffleService,
                        () -> zooKeeper.getZookeeperClient().isConnected(), () -> rpcServer.callErrors().byCode(),
                        this::uiUrl)));
        tracker.addListener(link::leaderChanged);
        tracker.start();
        cleanup = WorkerCleanup.forWorker(options, zooKeeper, this::applicationsRunningHere, shuffleService)
                .orElse(null);
        if (cleanup != null) {
            cleanup.start();
        }
        log.info("Worker {} serving on {} with {} cores and {} of memory for executors; {}; work directories in {}; {}",
                workerId, rpcServer.address(), options.cores(), ExecutorCommand.heapSize(options.memoryBytes()),
                web.map(w -> "web UI at " + w.url()).orElse("no web UI"),
                options.workDir(), shuffleService.map(s -> "shuffle service on " + s.address())
                        .orElse(shufflePort() > 0 ? "executors use the shuffle service on port " + shufflePort()
                                + " of this host (ember shuffle-service)"
                                : "no shuffle service (executors serve their own shuffle blocks)"));
    }

    @Override
    public WorkerInfo info() {
        return info;
    }

    /**
     * The port of its host's shuffle service: the one it embeds, or the standalone one it was told
     * of ({@code ember.shuffle.service.embedded=false}); 0 when there is none.
     */
    public int shufflePort() {
        if (shuffleService.isPresent()) {
            return shuffleService.get().port();
        }
        return shuffle.service().filter(s -> !s.embedded()).map(WorkerShuffle.Service::port).orElse(0);
    }

    /** The executors launching or running now. */
    @Override
    public List<ExecutorInfo> executors() {
        return executors.infos();
    }

    /** The base URL of its web UI; empty when it serves none. */
    public String uiUrl() {
        return web.map(WebServer::url).orElse("");
    }

    /** The worker's id. */
    public String workerId() {
        return workerId;
    }

    /** Where its RPC server listens, {@code host:port}. */
    public String address() {
        return rpcServer.address();
    }

    /** The options it started with. */
    public WorkerOptions options() {
        return options;
    }

    /** The newest leader epoch it has seen; 0 when none. */
    public long highestEpochSeen() {
        return fence.observe(tracker.highestEpochSeen());
    }

    /**
     * Stops serving, stops every executor (waiting for them to exit), deletes its node and closes
     * its connections. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        service.stopServing();
        web.ifPresent(WebServer::close);
        rpcServer.close();
        link.close();
        tracker.close();
        WorkerCleanup sweeping = cleanup;
        if (sweeping != null) {
            sweeping.close();
        }
        executors.stopAll();
        shuffleService.ifPresent(ShuffleServiceHost::close);
        WorkerNode registered = node;
        if (registered != null) {
            registered.close();
        }
        zooKeeper.close();
        channels.close();
        log.info("Worker {} stopped", workerId);
    }

    private Set<String> applicationsRunningHere() {
        return executors.live().stream().map(report -> report.executor().appId()).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return "WorkerServer[" + workerId + " on " + rpcServer.address() + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- Commands (on RPC threads: they must return quickly) ---------------------------------

    private final class Commands implements WorkerRpc.Commands {

        @Override
        public void launchExecutor(long epoch, ExecutorAssignment executor, ApplicationSettings app) {
            checkEpoch(epoch, "LaunchExecutor");
            log.info("Asked by the leader of epoch {} to launch executor {} of {}", epoch, executor.executorId(),
                    executor.appId());
            executors.launch(executor, app);
        }

        @Override
        public void killExecutor(long epoch, String appId, String executorId) {
            checkEpoch(epoch, "KillExecutor");
            log.info("Asked by the leader of epoch {} to kill executor {} of {}", epoch, executorId, appId);
            executors.kill(appId, executorId);
        }

        @Override
        public void applicationFinished(long epoch, String appId) {
            checkEpoch(epoch, "ApplicationFinished");
            executors.applicationFinished(appId);
        }
    }

    private void checkEpoch(long epoch, String command) {
        fence.observe(tracker.highestEpochSeen());
        try {
            fence.check(epoch);
        } catch (StatusRuntimeException stale) {
            staleCommands.warn(() -> "Worker " + workerId + " refused " + command + " from a deposed master: "
                    + stale.getStatus().getDescription());
            throw stale;
        }
    }

    /** What a leader is told on registration: the worker and every executor launching or running. */
    private WorkerRegistration registration() {
        return new WorkerRegistration(info, executors.live(), uiUrl());
    }

    private static String generateId(String host, int port) {
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        return "worker-" + host.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + port + "-" + HexFormat.of().formatHex(random);
    }

    /** For tests: completes once the latest ApplicationFinished has stopped its executors and dealt with their directories. */
    CompletableFuture<Void> lastApplicationCleanup() {
        return executors.lastApplicationCleanup();
    }
}
