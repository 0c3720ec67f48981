package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one WARN a process of a cluster without {@code ember.auth.secret} logs at start: its
 * ZooKeeper nodes, RPC ports and shuffle service are open to anyone who can reach them. Logged by
 * the processes of a real cluster (a master, a worker, a standalone shuffle service, a driver on an
 * {@code ember://} cluster), and by a local cluster that listens beyond this host; never by
 * {@code local} runs, or by {@code local-cluster} runs on 127.0.0.1 (their default).
 *
 * <p>Stateless, thread-safe.
 */
public final class OpenClusterWarning {

    private static final Logger LOG = LoggerFactory.getLogger(OpenClusterWarning.class);

    private OpenClusterWarning() {
    }

    /**
     * Logs the warning once when {@code config} has no secret.
     *
     * @param process what is starting, for the line: {@code "master"}, {@code "worker"},
     *     {@code "shuffle service"}, {@code "driver"}, {@code "local cluster"}
     * @return whether it warned
     */
    public static boolean warnIfOpen(EmberConfig config, String process) {
        requireNonNull(config, "config is null");
        requireNonNull(process, "process is null");
        if (config.core().find(EmberKeys.AUTH_SECRET).isPresent()) {
            return false;
        }
        LOG.warn(text(process));
        return true;
    }

    /** The warning's text for {@code process}. */
    static String text(String process) {
        return "No " + EmberKeys.AUTH_SECRET.name() + " is set: this " + process + "'s ZooKeeper nodes, RPC ports "
                + "and shuffle service are open to anyone who can reach them (to read and change the cluster's "
                + "state, run code on its executors and read shuffle data); set " + EmberKeys.AUTH_SECRET.name()
                + " (or EMBER_AUTH_SECRET), the same on every process of the cluster, to close them";
    }
}
