package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.ServerAddress;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.web.WebUiPort;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * What a master process needs to run.
 *
 * @param cluster the cluster name (ZooKeeper namespace)
 * @param zooKeeper how to reach ZooKeeper
 * @param host the address to listen on
 * @param port the RPC port (0 = any free port)
 * @param placement how executors are placed on workers
 * @param secret the shared secret, when authentication is on
 * @param rpcTimeout the deadline of calls to workers
 * @param recoveryGrace how long a new leader waits for known workers to re-register before it
 *     places executors (so it does not double-launch what an unreported worker already runs), and how
 *     long the node of a worker, an executor or a driver may be away from ZooKeeper before the leader
 *     believes the process gone (a process whose session expired takes its node back at once)
 * @param masterId this master's id in the election
 * @param rpcLimits {@code ember.rpc.*}: how many connections its RPC server keeps open, and when it
 *     closes one that does not authenticate or stays idle
 * @param advertisedHost the address workers and drivers reach it at, published in ZooKeeper
 * @param ui {@code ember.master.ui.port} and {@code ember.ui.portRetries}: where its web UI, REST API
 *     and {@code /metrics} listen (on {@code host}); {@link WebUiPort#OFF} for none
 */
public record MasterOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Placement placement,
                            Optional<String> secret, Duration rpcTimeout, Duration recoveryGrace, String masterId,
                            RpcLimits rpcLimits, String advertisedHost, WebUiPort ui) {

    public MasterOptions {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(zooKeeper, "zooKeeper is null");
        requireNonNull(host, "host is null");
        requireNonNull(placement, "placement is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(rpcTimeout, "rpcTimeout is null");
        requireNonNull(recoveryGrace, "recoveryGrace is null");
        requireNonNull(masterId, "masterId is null");
        requireNonNull(rpcLimits, "rpcLimits is null");
        requireNonNull(advertisedHost, "advertisedHost is null");
        requireNonNull(ui, "ui is null");
    }

    /** Options without a web UI. */
    public MasterOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Placement placement,
                         Optional<String> secret, Duration rpcTimeout, Duration recoveryGrace, String masterId,
                         RpcLimits rpcLimits, String advertisedHost) {
        this(cluster, zooKeeper, host, port, placement, secret, rpcTimeout, recoveryGrace, masterId, rpcLimits,
                advertisedHost, WebUiPort.OFF);
    }

    /** Options listening on and advertising {@code host}. */
    public MasterOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Placement placement,
                         Optional<String> secret, Duration rpcTimeout, Duration recoveryGrace, String masterId,
                         RpcLimits rpcLimits) {
        this(cluster, zooKeeper, host, port, placement, secret, rpcTimeout, recoveryGrace, masterId, rpcLimits, host);
    }

    /** Options with the {@linkplain RpcLimits#DEFAULTS default connection limits}. */
    public MasterOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Placement placement,
                         Optional<String> secret, Duration rpcTimeout, Duration recoveryGrace, String masterId) {
        this(cluster, zooKeeper, host, port, placement, secret, rpcTimeout, recoveryGrace, masterId, RpcLimits.DEFAULTS);
    }

    /**
     * Reads the options from a validated configuration.
     *
     * @throws CoordinationException with one clear line when
     *     {@code ember.zookeeper.connect} is not set
     */
    public static MasterOptions from(EmberConfig config) {
        ZooKeeperSettings zooKeeper = ZooKeeperSettings.from(config);
        ServerAddress address = ServerAddress.from(config, ServerAddress.Role.MASTER, zooKeeper.connectString());
        int port = config.get(EmberKeys.MASTER_PORT);
        return new MasterOptions(config.get(EmberKeys.CLUSTER), zooKeeper, address.bind(), port,
                Placement.of(config.get(EmberKeys.MASTER_PLACEMENT)), config.core().find(EmberKeys.AUTH_SECRET),
                config.get(EmberKeys.RPC_TIMEOUT), Duration.ofSeconds(2), newMasterId(address.advertised()),
                RpcLimits.from(config), address.advertised(), WebUiPort.from(config, EmberKeys.MASTER_UI_PORT));
    }

    /** The same options with another port (tests and local clusters pick free ports). */
    public MasterOptions withPort(int newPort) {
        return new MasterOptions(cluster, zooKeeper, host, newPort, placement, secret, rpcTimeout, recoveryGrace, masterId,
                rpcLimits, advertisedHost, ui);
    }

    /** The same options with the web UI on {@code newUi}. */
    public MasterOptions withUi(WebUiPort newUi) {
        return new MasterOptions(cluster, zooKeeper, host, port, placement, secret, rpcTimeout, recoveryGrace, masterId,
                rpcLimits, advertisedHost, newUi);
    }

    /** A fresh, unique master id for an election participant on {@code host}. */
    public static String newMasterId(String host) {
        return "master-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
