package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.cluster.Worker;
import io.ember.api.cluster.WorkerInfo;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.core.concurrent.Threads;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.executor.ExecutorMain;
import io.ember.core.rpc.EpochFence;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcServer;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.StoredWorker;
import io.ember.core.rpc.proto.WorkerSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: offers its host's cores and memory to the cluster and runs executor JVMs on
 * the leader master's command.
 *
 * <p>(Somewhat over 400 lines because start-up, the commands and shutdown share one state: the
 * executors and the node; how an executor is started is {@link ExecutorCommands}', the leader
 * {@link LeaderLink}'s.)
 *
 * <p><b>Start-up</b> ({@link #start}): the RPC server ({@code WorkerService}) on
 * {@code host:port}; the ZooKeeper connection; the external shuffle service, when its
 * {@link WorkerShuffle} names one to embed ({@code ember.shuffle.service.enabled}: the selected
 * shuffle plugin's service on {@code ember.shuffle.service.port}, its state in
 * {@code <workDir>/.shuffle-service}, the cluster's secret), whose port the worker advertises in its
 * spec ({@code shuffle_port}, 0 for none); the worker's ephemeral node
 * {@code /ember/<cluster>/workers/<id>} holding its {@code StoredWorker}; then it follows the
 * leader ({@link LeaderTracker}) and registers with every new one ({@code RegisterWorker}: its
 * spec and every executor it runs, {@code LAUNCHING} or {@code RUNNING} with its pid), retrying
 * with a short back-off until the leader accepts or another takes over ({@link LeaderLink}).
 *
 * <p><b>Commands.</b> Every command first passes the {@link EpochFence}: one from a master whose
 * epoch is older than the newest this worker has seen (from a registration answer, from ZooKeeper,
 * or from another command) is refused with {@code FAILED_PRECONDITION}, and nothing else happens.
 * <ul>
 *   <li>{@code LaunchExecutor} starts {@link ExecutorMain} in its work directory with
 *       {@code -Xmx} = the executor's memory, {@code ember.executor.javaOptions}, the
 *       {@link ExecutorArguments} and, when the cluster has a secret, the secret in the
 *       environment variable {@value ExecutorMain#SECRET_VARIABLE} (never on the command line), and
 *       the worker's shuffle settings: {@link WorkerShuffle#executorSettings()} and either
 *       {@code ember.shuffle.service.port} (its service's port) or
 *       {@code ember.shuffle.service.enabled=false}. It
 *       reports {@code RUNNING} with the pid, then {@code EXITED} (code 0), {@code FAILED} (any
 *       other code, or it could not start) or {@code KILLED} (the worker stopped it) with the exit
 *       code. Launching an executor the worker already runs does nothing.
 *   <li>{@code KillExecutor} stops the executor (SIGTERM, then SIGKILL after
 *       {@link ExecutorRunner#STOP_GRACE}) and reports it {@code KILLED}.
 *   <li>{@code ApplicationFinished} stops all of the application's executors, then has the shuffle
 *       service forget the application (deleting its shuffle files) and deletes its work
 *       directories unless {@code ember.worker.keepWorkDirs}.
 * </ul>
 * Commands are answered at once; process work happens on the worker's own threads. Reports go to
 * the current leader, queued and retried until one accepts them.
 *
 * <p>Should the worker's ZooKeeper session expire, its node is created again on the new session
 * and it registers with the leader again.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; it stops the executors, then the shuffle service.
 */
public final class WorkerServer implements Worker {

    private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The embedded shuffle service's state directory, under the work directory. */
    public static final String SHUFFLE_SERVICE_DIRECTORY = ".shuffle-service";

    private final WorkerOptions options;
    private final WorkerShuffle shuffle;
    private final Optional<ShuffleServiceHost> shuffleService;
    private final String workerId;
    private final WorkerSpec spec;
    private final ClusterPaths paths;
    private final RpcServer rpcServer;
    private final WorkerServiceImpl service;
    private final CuratorFramework zooKeeper;
    private final LeaderTracker tracker;
    private final EpochFence fence = new EpochFence();
    private final RpcChannels channels;
    private final LeaderLink link;
    private final ExecutorLauncher launcher;
    private final ExecutorClassDataArchive classDataArchive;
    private final ExecutorService processThreads;
    private final ConcurrentMap<Key, ExecutorRunner> executors = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The worker's node, set at start; re-created when the session is renewed. */
    private volatile Registration registration;
    /** The clean-up after the latest ApplicationFinished; completes once its work directories are dealt with. */
    private volatile CompletableFuture<Void> lastApplicationCleanup = CompletableFuture.completedFuture(null);

    private record Key(String appId, String executorId) {}

    private WorkerServer(WorkerOptions options, WorkerShuffle shuffle, Optional<ShuffleServiceHost> shuffleService,
            String workerId, RpcServer rpcServer, WorkerServiceImpl service, CuratorFramework zooKeeper) {
        this.options = options;
        this.shuffle = shuffle;
        this.shuffleService = shuffleService;
        this.workerId = workerId;
        this.rpcServer = rpcServer;
        this.service = service;
        this.zooKeeper = zooKeeper;
        this.paths = new ClusterPaths(options.cluster());
        this.spec = WorkerSpec.newBuilder()
                .setWorkerId(workerId)
                .setHost(options.host())
                .setRpcPort(rpcServer.port())
                .setShufflePort(shufflePort())
                .setCores(options.cores())
                .setMemoryBytes(options.memoryBytes())
                .build();
        this.tracker = new LeaderTracker(zooKeeper, paths);
        this.channels = new RpcChannels("worker-client", options.secret());
        this.link = new LeaderLink(workerId, channels, options.rpcTimeout(), fence, this::registrationRequest);
        this.launcher = new ExecutorLauncher(new WorkDirectories(options.workDir()));
        this.classDataArchive = new ExecutorClassDataArchive(options.workDir().resolve(".class-data"),
                options.javaExecutable(), options.classPath(), options.executorJavaOptions());
        this.processThreads = Executors.newCachedThreadPool(Threads.numberedDaemons("ember-worker-process-"));
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
     * Starts a worker (see the class documentation for the order) and returns once it has
     * registered its node; registering with the leader happens in the background, whenever there
     * is one.
     *
     * @throws UncheckedIOException when the RPC server cannot listen, or the shuffle service
     *     cannot start (the message names its address and {@code ember.shuffle.service.port})
     * @throws CoordinationException when ZooKeeper cannot be reached or the worker id is taken
     */
    public static WorkerServer start(WorkerOptions options, WorkerShuffle shuffle) {
        requireNonNull(options, "options is null");
        requireNonNull(shuffle, "shuffle is null");
        WorkerServiceImpl service = new WorkerServiceImpl();
        RpcServer rpcServer = RpcServer.start("worker", options.host(), options.port(), List.of(service),
                options.secret());
        CuratorFramework zooKeeper;
        try {
            zooKeeper = ZooKeeperClients.connect(options.zooKeeper());
        } catch (RuntimeException | Error e) {
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
        String workerId = options.workerId().orElseGet(() -> generateId(options.host(), rpcServer.port()));
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
                options.workDir().resolve(SHUFFLE_SERVICE_DIRECTORY), options.secret());
        try {
            return Optional.of(ShuffleServiceHost.start(wanted.factory(), wanted.settings(), context));
        } catch (UnsupportedOperationException e) {
            log.warn("The {} shuffle has no external service ({}); this worker's executors serve their own shuffle "
                    + "blocks, which are lost when they exit", wanted.factory().name(), e.getMessage());
            return Optional.empty();
        }
    }

    private void begin() {
        registration = new Registrations(zooKeeper, paths)
                .registerWorker(workerId, StoredWorker.newBuilder().setSpec(spec).build().toByteArray());
        registration.whenSessionRenewed(Runnable::run, this::sessionRenewed);
        service.serve(new Commands());
        tracker.addListener(link::leaderChanged);
        tracker.start();
        log.info("Worker {} serving on {} with {} cores and {} of memory for executors; work directories in {}; {}",
                workerId, rpcServer.address(), options.cores(), ExecutorCommand.heapSize(options.memoryBytes()),
                options.workDir(), shuffleService.map(s -> "shuffle service on " + s.address())
                        .orElse(shufflePort() > 0 ? "executors use the shuffle service on port " + shufflePort()
                                + " of this host (ember shuffle-service)"
                                : "no shuffle service (executors serve their own shuffle blocks)"));
    }

    @Override
    public WorkerInfo info() {
        return new WorkerInfo(workerId, options.host(), rpcServer.port(), shufflePort(), options.cores(),
                options.memoryBytes());
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
        List<ExecutorInfo> running = new ArrayList<>();
        for (ExecutorRunner runner : executors.values()) {
            if (runner.liveState().isPresent()) {
                running.add(runner.info());
            }
        }
        return List.copyOf(running);
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
        rpcServer.close();
        link.close();
        tracker.close();
        List<CompletableFuture<ExecutorState>> stopping = executors.values().stream().map(ExecutorRunner::kill).toList();
        if (!stopping.isEmpty()) {
            log.info("Worker {} stopping its {} executor(s)", workerId, stopping.size());
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(ExecutorRunner.STOP_GRACE.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Worker {} could not confirm that all its executors stopped: {}", workerId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processThreads.shutdownNow();
        shuffleService.ifPresent(ShuffleServiceHost::close);
        Registration node = registration;
        if (node != null) {
            node.close();
        }
        zooKeeper.close();
        channels.close();
        log.info("Worker {} stopped", workerId);
    }

    @Override
    public String toString() {
        return "WorkerServer[" + workerId + " on " + rpcServer.address() + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- Commands (on RPC threads: they must return quickly) ---------------------------------

    private final class Commands implements WorkerServiceImpl.Commands {

        @Override
        public void launchExecutor(LaunchExecutorRequest request) {
            checkEpoch(request.getEpoch(), "LaunchExecutor");
            launch(request.getExecutor(), request.getApp());
        }

        @Override
        public void killExecutor(KillExecutorRequest request) {
            checkEpoch(request.getEpoch(), "KillExecutor");
            ExecutorRunner runner = executors.get(new Key(request.getAppId(), request.getExecutorId()));
            if (runner == null) {
                log.debug("KillExecutor for executor {} of application {}, which this worker does not run",
                        request.getExecutorId(), request.getAppId());
                return;
            }
            runner.kill();
        }

        @Override
        public void applicationFinished(ApplicationFinishedRequest request) {
            checkEpoch(request.getEpoch(), "ApplicationFinished");
            finishApplication(WorkDirectories.checkId("application id", request.getAppId()));
        }
    }

    private void checkEpoch(long epoch, String command) {
        fence.observe(tracker.highestEpochSeen());
        try {
            fence.check(epoch);
        } catch (StatusRuntimeException stale) {
            log.warn("Worker {} refused {} from a deposed master: {}", workerId, command,
                    stale.getStatus().getDescription());
            throw stale;
        }
    }

    private void launch(ExecutorSpec requested, ApplicationSpec app) {
        ExecutorSpec executor = ExecutorCommands.placed(requested, app, workerId, options);
        String appId = executor.getAppId();
        String executorId = executor.getExecutorId();
        ExecutorArguments arguments = ExecutorCommands.arguments(executor, app, options, shuffle, shufflePort());
        ExecutorClassDataArchive.Launch classData = classDataArchive.nextLaunch();
        ExecutorCommand command = ExecutorCommands.executorCommand(options, arguments, executor.getMemoryBytes(),
                classData.jvmOptions());

        Key key = new Key(appId, executorId);
        if (closed.get()) {
            throw Status.UNAVAILABLE.withDescription("worker " + workerId + " is stopping").asRuntimeException();
        }
        ExecutorRunner runner = new ExecutorRunner(executor, options.host(), command, launcher, processThreads,
                link::report, finished -> executors.remove(key, finished));
        if (executors.putIfAbsent(key, runner) != null) {
            log.debug("Executor {} of application {} already runs here; LaunchExecutor ignored", executorId, appId);
            return;
        }
        if (closed.get()) {   // close() may have missed it: it must not start
            runner.kill();
            runner.start();
            throw Status.UNAVAILABLE.withDescription("worker " + workerId + " is stopping").asRuntimeException();
        }
        if (classData.buildsArchive()) {
            runner.finished().thenAccept(state -> classDataArchive.builderExited(state.getExitCode()));
        }
        runner.start();
    }

    private void finishApplication(String appId) {
        List<ExecutorRunner> runners = executors.values().stream().filter(r -> r.appId().equals(appId)).toList();
        log.info("Application {} finished: worker {} stops its {} executor(s){}", appId, workerId, runners.size(),
                options.keepWorkDirs() ? " and keeps their work directories" : " and deletes their work directories");
        CompletableFuture<?>[] stopping = runners.stream().map(ExecutorRunner::kill).toArray(CompletableFuture[]::new);
        lastApplicationCleanup = CompletableFuture.allOf(stopping).whenCompleteAsync((done, error) -> {
            shuffleService.ifPresent(s -> s.applicationRemoved(appId));
            if (!options.keepWorkDirs()) {
                try {
                    launcher.workDirectories().deleteApplication(appId);
                } catch (IOException | RuntimeException e) {
                    log.warn("Worker {} could not delete the work directories of application {}: {}", workerId, appId,
                            e.getMessage());
                }
            }
        }, processThreads);
    }

    /** What a leader is told on registration: the spec and every executor launching or running. */
    private RegisterWorkerRequest registrationRequest() {
        RegisterWorkerRequest.Builder request = RegisterWorkerRequest.newBuilder().setWorker(spec);
        for (ExecutorRunner runner : executors.values()) {
            runner.liveState().ifPresent(request::addExecutors);
        }
        return request.build();
    }

    /** On Curator's connection-state thread, after an expired session: register again. */
    private void sessionRenewed() {
        if (closed.get()) {
            return;
        }
        try {
            registration.recreate();
            log.info("Worker {} registered again in ZooKeeper after its session expired", workerId);
        } catch (CoordinationException e) {
            log.warn("Worker {} could not register again in ZooKeeper: {}", workerId, e.getMessage());
        }
        link.reregister();
    }

    private static String generateId(String host, int port) {
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        return "worker-" + host.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + port + "-" + HexFormat.of().formatHex(random);
    }

    /** For tests: completes once the latest ApplicationFinished has stopped its executors and dealt with their directories. */
    CompletableFuture<Void> lastApplicationCleanup() {
        return lastApplicationCleanup;
    }
}
