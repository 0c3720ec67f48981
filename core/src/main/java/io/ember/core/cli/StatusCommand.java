package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.ElectionParticipants;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.MasterUrl;
import io.ember.core.master.web.MasterApi;
import io.ember.core.web.Formats;
import io.ember.core.web.Json;
import io.ember.core.web.WebCredentials;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ember status}: the cluster from the command line. Reads who leads and who stands by from
 * ZooKeeper, then the workers and applications from the leader's REST API (with the credentials
 * derived from {@code ember.auth.secret}), and prints a short table, or with {@code --json} one
 * {@link ClusterStatus} document. When ZooKeeper or the leader cannot be reached it prints one line on
 * standard error and exits with 1. Its own log lines (the ZooKeeper client's) stay off the console
 * unless {@code --verbose}.
 */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        header = "Show the cluster: masters, workers, applications, executors.",
        description = {
            "Show the cluster: the leader and standby masters (from ZooKeeper), the workers and applications",
            "(from the leader's REST API), and how many executors run. The cluster is --master, else",
            "ember.zookeeper.connect and ember.cluster. --json prints one JSON document for scripts",
            "(docs/monitoring.md). Exits with 1, after one line on standard error, when ZooKeeper or the",
            "leader cannot be reached."
        })
final class StatusCommand implements Callable<Integer> {

    private final EmberCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--master", paramLabel = "URL",
            description = "The cluster: ember://<zookeeper-connect>/<cluster> (default: ember.zookeeper.connect and "
                    + "ember.cluster).")
    String master;

    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Keep the log lines (the ZooKeeper client's) on standard error.")
    boolean verbose;

    StatusCommand(EmberCli cli) {
        this.cli = requireNonNull(cli, "cli is null");
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ClusterStatus status;
        try (QuietConsole quiet = verbose ? null : QuietConsole.silence();
             EmberEnvironment environment = new Bootstrap(cli.launchContext(config.confDir, config.settings()))
                     .load()) {
            status = read(environment.config());
        } catch (StatusException | CoordinationException e) {
            err.println("ember status: " + e.getMessage());
            err.flush();
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(new String(Json.write(status), StandardCharsets.UTF_8));
            out.println();
        } else {
            print(out, status);
        }
        out.flush();
        return 0;
    }

    private ClusterStatus read(EmberConfig settings) {
        ZooKeeperSettings zooKeeper = zooKeeper(settings);
        ClusterPaths paths = new ClusterPaths(cluster(settings));
        LeaderInfo leader;
        List<String> masters;
        try (CuratorFramework client = ZooKeeperClients.connect(zooKeeper)) {
            masters = ElectionParticipants.read(client, paths);
            try {
                leader = LeaderInfo.decode(client.getData().forPath(paths.leader()));
            } catch (KeeperException.NoNodeException e) {
                throw new StatusException("no master leads cluster '" + paths.cluster() + "' now ("
                        + (masters.isEmpty() ? "no master is in its election" : masters.size() + " master(s) in its "
                        + "election: " + String.join(", ", masters)) + ")");
            }
        } catch (KeeperException.NoAuthException e) {
            throw new StatusException("not allowed to read cluster '" + paths.cluster() + "' in ZooKeeper at "
                    + zooKeeper.connectString() + " (is ember.auth.secret the same as the cluster's?)");
        } catch (StatusException | CoordinationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new StatusException("the leader record of cluster '" + paths.cluster() + "' cannot be read: "
                    + e.getMessage());
        } catch (Exception e) {
            throw new StatusException("cannot read cluster '" + paths.cluster() + "' in ZooKeeper at "
                    + zooKeeper.connectString() + ": " + e);
        }
        if (leader.uiUrl().isEmpty()) {
            throw new StatusException("the leader master, " + leader.masterId() + " at " + leader.address()
                    + ", serves no web UI (its " + EmberKeys.MASTER_UI_PORT.name() + " is 0), so its REST API "
                    + "cannot be asked");
        }
        LeaderRestClient rest = new LeaderRestClient(leader.uiUrl(),
                WebCredentials.of(settings.core().find(EmberKeys.AUTH_SECRET)), settings.get(EmberKeys.RPC_TIMEOUT));
        List<MasterApi.Worker> workers = rest.list("/api/v1/workers", MasterApi.Worker.class);
        List<MasterApi.Application> applications = rest.list("/api/v1/applications", MasterApi.Application.class);
        List<ClusterStatus.Master> roles = new ArrayList<>();
        roles.add(new ClusterStatus.Master(leader.masterId(), "LEADER"));
        masters.stream().filter(id -> !id.equals(leader.masterId()))
                .forEach(id -> roles.add(new ClusterStatus.Master(id, "STANDBY")));
        return new ClusterStatus(paths.cluster(), zooKeeper.connectString(),
                new ClusterStatus.Leader(leader.masterId(), leader.address(), leader.epoch(), leader.uiUrl()), roles,
                workers, applications, ClusterStatus.Totals.of(workers, applications));
    }

    /** The ensemble: {@code --master}'s, else {@code ember.zookeeper.connect}; timeouts and secret from settings. */
    private ZooKeeperSettings zooKeeper(EmberConfig settings) {
        Optional<MasterUrl.ClusterUrl> url = clusterUrl();
        if (url.isEmpty()) {
            return ZooKeeperSettings.from(settings);
        }
        return new ZooKeeperSettings(url.get().zookeeperConnect(), settings.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT),
                settings.get(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT), settings.core().find(EmberKeys.AUTH_SECRET));
    }

    private String cluster(EmberConfig settings) {
        return clusterUrl().map(MasterUrl.ClusterUrl::cluster).orElseGet(() -> settings.get(EmberKeys.CLUSTER));
    }

    private Optional<MasterUrl.ClusterUrl> clusterUrl() {
        if (master == null) {
            return Optional.empty();
        }
        MasterUrl url;
        try {
            url = MasterUrl.parse(master);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--master: " + e.getMessage());
        }
        if (url instanceof MasterUrl.ClusterUrl cluster) {
            return Optional.of(cluster);
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--master must name a running cluster, "
                + "ember://<zookeeper-connect>/<cluster>, not '" + master + "'");
    }

    private static void print(PrintWriter out, ClusterStatus status) {
        ClusterStatus.Totals totals = status.totals();
        out.println("Cluster " + status.cluster() + " (ZooKeeper " + status.zooKeeper() + ")");
        out.println();
        out.println("Masters (" + status.masters().size() + "):");
        List<String[]> masters = new ArrayList<>();
        masters.add(new String[] {"MASTER", "ROLE", "EPOCH", "ADDRESS", "WEB UI"});
        for (ClusterStatus.Master master : status.masters()) {
            boolean leads = master.role().equals("LEADER");
            masters.add(new String[] {master.masterId(), master.role(),
                leads ? Long.toString(status.leader().epoch()) : "-", leads ? status.leader().address() : "-",
                leads ? status.leader().uiUrl() : "-"});
        }
        Table.print(out, masters);
        out.println();
        out.println("Workers (" + totals.workers() + "; " + totals.coresUsed() + " of " + totals.cores()
                + " cores used):");
        List<String[]> workers = new ArrayList<>();
        workers.add(new String[] {"WORKER", "HOST", "STATE", "CORES", "MEMORY", "EXECUTORS", "WEB UI"});
        for (MasterApi.Worker worker : status.workers()) {
            workers.add(new String[] {worker.id(), worker.host(), worker.state(),
                worker.coresUsed() + "/" + worker.cores(),
                Formats.mebibytes(worker.memoryUsedMb()) + "/" + Formats.mebibytes(worker.memoryMb()),
                Integer.toString(worker.executors()), worker.uiUrl().isEmpty() ? "-" : worker.uiUrl()});
        }
        printOrNone(out, workers);
        out.println();
        out.println("Applications (" + totals.applications() + " registered, " + totals.applicationsWaiting()
                + " waiting for executors):");
        List<String[]> apps = new ArrayList<>();
        apps.add(new String[] {"APPLICATION", "NAME", "QUEUE", "STATE", "CORES", "EXECUTORS", "DURATION"});
        for (MasterApi.Application app : status.applications()) {
            apps.add(new String[] {app.id(), app.name(), app.queue(), app.state(),
                Integer.toString(app.coresGranted()),
                app.ended() ? "-" : app.executors().size() + "/" + app.executorsRequested(),
                Formats.duration(app.durationMillis())});
        }
        printOrNone(out, apps);
        out.println();
        out.println("Executors: " + totals.executors() + " (" + totals.executorsRunning() + " running, "
                + (totals.executors() - totals.executorsRunning()) + " launching)");
    }

    private static void printOrNone(PrintWriter out, List<String[]> rows) {
        if (rows.size() == 1) {
            out.println("  none");
        } else {
            Table.print(out, rows);
        }
    }
}
