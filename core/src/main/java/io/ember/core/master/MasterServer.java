package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.Master;
import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.config.ServerAddress;
import io.ember.core.coordination.ClusterOwnership;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ClusterView;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.DeadLeaderProbe;
import io.ember.core.coordination.LeaderElection;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.coordination.NotLeaderException;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.master.web.MasterRoutes;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcServer;
import io.ember.core.web.WebCredentials;
import io.ember.core.web.WebServer;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because the process façade keeps its four small adapters (the election's,
// the web pages', the cluster view's and its live nodes') as inner classes over the term it owns;
// the decisions are in Leadership and its parts.
/**
 * A master process: serves {@code MasterService}, takes part in the leader election and, while it
 * leads, runs the cluster through a {@link Leadership}. Standbys keep a warm copy of the cluster's
 * ZooKeeper record ({@link ClusterView}), so a takeover loads nothing: failover costs the ZooKeeper
 * session timeout of the crashed leader plus milliseconds. Each term gets its own
 * {@link GrpcWorkerGateway} (fenced by the term's epoch) and stores applications through
 * {@link ZooKeeperRecords}.
 *
 * <p>Unless its {@link MasterOptions#ui()} is off, it serves a web UI, a REST API and {@code /metrics}
 * ({@link MasterRoutes}, read through {@link MasterWebStatus}) and publishes the UI's URL with its
 * leader record, so standbys, workers and {@code ember status} find the leader's.
 *
 * <p>Threading: all cluster state lives on one event loop thread; RPC handlers, ZooKeeper events and
 * election callbacks post to it. The query methods of {@link Master} and the web server's requests
 * wait briefly for the loop.
 */
public final class MasterServer implements Master {

    private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** How long a web request waits for the loop: a busy master answers 500 rather than holding the page. */
    private static final Duration WEB_QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final MasterOptions options;
    /** The policy each new term starts from; replaced on the loop when its settings are reloaded. */
    private volatile SchedulingPolicy policy;
    private final EventLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private CuratorFramework client;
    private RpcServer server;
    private RpcChannels workerChannels;
    private ClusterView view;
    private LeaderElection election;
    private DeadLeaderProbe deadLeaderProbe;
    private final MasterCounters counters = new MasterCounters();
    /** Who leads, for the web UI of a standby; only with a web UI. */
    private volatile LeaderTracker leaderTracker;
    private volatile Optional<WebServer> web = Optional.empty();
    /** The current term; written and read on the loop only. */
    private Leadership leadership;
    /** The epoch the election last granted; -1 the moment leadership is in doubt (read off the loop too). */
    private volatile long actingEpoch = -1;

    private MasterServer(MasterOptions options, SchedulingPolicy policy) {
        this.options = requireNonNull(options, "options is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.loop = EventLoop.start("ember-master-loop");
    }

    /**
     * Starts a master: connects to ZooKeeper, listens for RPCs and joins the election.
     *
     * @param policy the scheduler plugin's policy; its application-level queue decides which
     *     application gets free worker cores next
     * @throws CoordinationException when ZooKeeper cannot be reached
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MasterServer start(MasterOptions options, SchedulingPolicy policy) {
        MasterServer master = new MasterServer(options, policy);
        try {
            master.startServices();
            return master;
        } catch (RuntimeException | Error e) {
            master.close();
            throw e;
        }
    }

    private void startServices() {
        ClusterPaths paths = new ClusterPaths(options.cluster());
        client = ZooKeeperClients.connect(options.zooKeeper());
        ClusterOwnership.claim(client, paths, options.zooKeeper()); // refuses a tree someone else created
        workerChannels = new RpcChannels("master-to-workers", options.secret());
        server = RpcServer.start("master", new ServerAddress(options.host(), options.advertisedHost()), options.port(),
                List.of(new MasterRpc(this)), options.secret(), options.rpcLimits());
        view = new ClusterView(client, paths);
        view.start();
        view.subscribe(new ViewEvents());
        // A standby (and a leader restarting) must see the whole record before it can take over.
        view.awaitInitialized(options.zooKeeper().connectionTimeout());
        startWebServer(paths);
        election = new LeaderElection(client, paths, options.masterId(), server.address(), uiUrl(),
                new ElectionEvents());
        election.start();
        // A leader whose process died is replaced without waiting for its session to expire.
        deadLeaderProbe = DeadLeaderProbe.start(client, paths, options.masterId());
        LOG.info("Master {} of cluster '{}' listening on {}; {}; ZooKeeper at {}", options.masterId(),
                options.cluster(), server.address(), web.map(w -> "web UI at " + w.url()).orElse("no web UI"),
                options.zooKeeper().connectString());
    }

    /** The web UI, REST API and metrics, unless they are off (or no port is free: then one WARN line). */
    private void startWebServer(ClusterPaths paths) {
        if (!options.ui().enabled()) {
            return;
        }
        leaderTracker = new LeaderTracker(client, paths);
        leaderTracker.start();
        MasterWebStatus status = new MasterWebStatus(new WebFacts(), counters,
                () -> client.getZookeeperClient().isConnected(), Clock.systemUTC());
        web = WebServer.startIfEnabled("master", new ServerAddress(options.host(), options.advertisedHost()),
                options.ui(), WebCredentials.of(options.secret()), MasterRoutes.of(status, Clock.systemUTC()));
    }

    /** The base URL of its web UI; empty when it serves none. */
    public String uiUrl() {
        return web.map(WebServer::url).orElse("");
    }

    /** The address workers and drivers reach this master at (host:port). */
    public String address() {
        return server.address();
    }

    /** This master's id in the election. */
    public String masterId() {
        return options.masterId();
    }

    @Override
    public String clusterName() {
        return options.cluster();
    }

    @Override
    public boolean isLeader() {
        return actingEpoch >= 0;
    }

    @Override
    public long epoch() {
        return actingEpoch;
    }

    @Override
    public List<WorkerInfo> workers() {
        return query("its workers", Leadership::workers, List.of());
    }

    @Override
    public List<ApplicationInfo> applications() {
        return query("its applications", Leadership::applications, List.of());
    }

    /** {@inheritDoc} Read on the master's event loop, where the queues live. */
    @Override
    public List<GroupStatus> queues() {
        return query("its queues", Leadership::queues, List.of());
    }

    /**
     * Runs {@code action} on the loop with the current term, or with {@code null} when this master
     * does not lead; {@code rejected} runs instead when the master is shutting down.
     */
    void onLoop(Consumer<Leadership> action, Runnable rejected) {
        boolean queued = loop.offer(() -> {
            try {
                action.accept(current());
            } catch (NotLeaderException e) {
                LOG.warn("Master {} is no longer the leader: {}", options.masterId(), e.getMessage());
            } catch (RuntimeException e) {
                logUnexpected(e);
            }
        });
        if (!queued) {
            rejected.run();
        }
    }

    void logUnexpected(RuntimeException e) {
        LOG.error("Master {} failed to handle a request", options.masterId(), e);
    }

    private Leadership current() {
        Leadership term = leadership;
        return term != null && !term.isEnded() && term.epoch() == actingEpoch ? term : null;
    }

    /** The leader's overview, for the web UI; empty when this master does not lead. */
    private Optional<ClusterOverview> overview() {
        return loop.ask("its overview", () -> {
            Leadership term = current();
            return term == null ? Optional.<ClusterOverview>empty() : Optional.of(term.overview());
        }, WEB_QUERY_TIMEOUT);
    }

    /** For tests: whether this master's view of ZooKeeper has seen the application's driver node. */
    boolean seesDriver(String appId) {
        return view.snapshot().liveDrivers().contains(appId);
    }

    /**
     * Asks the loop; {@code whenNotLeading} when this master does not lead.
     *
     * @throws IllegalStateException when the master is stopped, does not answer in time, or the caller
     *     is interrupted (see {@link EventLoop#ask})
     */
    private <T> T query(String what, Function<Leadership, T> question, T whenNotLeading) {
        return loop.ask(what, () -> {
            Leadership term = current();
            return term == null ? whenNotLeading : question.apply(term);
        }, QUERY_TIMEOUT);
    }

    /**
     * Replaces the application scheduler's policy (its settings were reloaded): the current term moves
     * every application into a queue of the new policy and offers free cores again; later terms
     * start from it. Placed executors stay where they are.
     */
    public void replacePolicy(SchedulingPolicy fresh) {
        requireNonNull(fresh, "fresh is null");
        loop.execute(() -> {
            policy = fresh;
            if (leadership != null) {
                leadership.replacePolicy(fresh);
            }
        });
    }

    /**
     * Leaves the election (a standby takes over at once), stops serving and disconnects. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        actingEpoch = -1;
        web.ifPresent(WebServer::close);
        endTerm();
        closeQuietly(deadLeaderProbe);
        closeQuietly(election);
        closeQuietly(server);
        closeQuietly(view);
        closeQuietly(leaderTracker);
        closeQuietly(workerChannels);
        if (client != null) {
            client.close();
        }
        loop.shutdownNow(Duration.ofSeconds(5));
        LOG.info("Master {} stopped", options.masterId());
    }

    /**
     * Ends the current term before the server stops: drivers following their applications are told to
     * follow the next leader, so their streams do not hold the server's shutdown for its grace period.
     */
    private void endTerm() {
        try {
            loop.ask("the end of its term", () -> {
                if (leadership != null) {
                    leadership.end();
                }
                return null;
            }, QUERY_TIMEOUT);
        } catch (IllegalStateException e) {
            LOG.debug("Master {} could not end its term before stopping: {}", options.masterId(), e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Ignoring a failure to close {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

    /** Election callbacks, moved onto the loop; losing leadership takes effect at once. */
    private final class ElectionEvents implements LeaderElection.Listener {
        @Override
        public void onLeadership(long epoch) {
            actingEpoch = epoch;
            counters.leadershipTaken();
            loop.execute(() -> {
                if (leadership != null) {
                    leadership.end();
                }
                if (actingEpoch != epoch) {
                    return;
                }
                leadership = new Leadership(epoch, options, new ZooKeeperRecords(election), new ViewNodes(), policy,
                        new GrpcWorkerGateway(epoch, workerChannels, options.rpcTimeout()), loop, Clock.systemUTC(),
                        counters);
                leadership.recover(view.snapshot());
            });
        }

        @Override
        public void onLeadershipSuspended(String reason) {
            actingEpoch = -1; // requests are answered as by a standby until the term resumes
            loop.execute(() -> {
                if (leadership != null) {
                    leadership.pause();
                }
            });
        }

        @Override
        public void onLeadershipResumed(long epoch) {
            actingEpoch = epoch;
            loop.execute(() -> {
                if (leadership != null && actingEpoch == epoch && leadership.epoch() == epoch) {
                    leadership.resume(view.snapshot());
                }
            });
        }

        @Override
        public void onLeadershipLost(String reason) {
            actingEpoch = -1;
            if (closed.get()) {
                LOG.info("Master {} gave up leadership: {}", options.masterId(), reason);
            } else {
                LOG.warn("Master {} stops acting as leader: {}", options.masterId(), reason);
            }
            loop.execute(() -> {
                if (leadership != null) {
                    leadership.end();
                    leadership = null;
                }
            });
        }
    }

    /** What the web UI shows of this master. */
    private final class WebFacts implements MasterWebStatus.Master {
        @Override
        public String masterId() {
            return options.masterId();
        }

        @Override
        public String clusterName() {
            return options.cluster();
        }

        @Override
        public String address() {
            return server.address();
        }

        @Override
        public String zooKeeper() {
            return options.zooKeeper().connectString();
        }

        @Override
        public String uiUrl() {
            return MasterServer.this.uiUrl();
        }

        @Override
        public Optional<ClusterOverview> overview() {
            return MasterServer.this.overview();
        }

        @Override
        public Optional<LeaderInfo> leader() {
            return leaderTracker == null ? Optional.empty() : leaderTracker.current();
        }

        @Override
        public Map<String, Long> rpcErrors() {
            return server.callErrors().byCode();
        }
    }

    /** The processes' nodes as this master's view of ZooKeeper shows them now. */
    private final class ViewNodes implements LiveNodes {
        @Override
        public boolean hasWorker(String workerId) {
            return view.snapshot().workers().containsKey(workerId);
        }

        @Override
        public boolean hasExecutor(String appId, String executorId) {
            return view.snapshot().executorsOf(appId).containsKey(executorId);
        }

        @Override
        public boolean hasDriver(String appId) {
            return view.snapshot().liveDrivers().contains(appId);
        }
    }

    /** Membership changes in ZooKeeper, applied by the leader. */
    private final class ViewEvents implements ClusterView.Listener {
        @Override
        public void workerRemoved(String workerId) {
            onLoop(term -> {
                if (term != null) {
                    term.workerNodeRemoved(workerId);
                }
            }, () -> { });
        }

        @Override
        public void driverRemoved(String appId) {
            onLoop(term -> {
                if (term != null) {
                    term.driverNodeRemoved(appId);
                }
            }, () -> { });
        }

        @Override
        public void executorAdded(String appId, String executorId, byte[] spec) {
            onLoop(term -> {
                if (term != null) {
                    term.executorRegistered(appId, executorId);
                }
            }, () -> { });
        }

        @Override
        public void executorRemoved(String appId, String executorId) {
            onLoop(term -> {
                if (term != null) {
                    term.executorNodeRemoved(appId, executorId);
                }
            }, () -> { });
        }
    }
}
