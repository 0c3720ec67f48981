package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.ember.api.config.Durations;
import io.ember.core.coordination.ClusterPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command line of an executor process ({@link ExecutorMain}), as the worker writes it.
 *
 * <p>Its full contract (the options and their values; where the secret goes) is in the
 * {@code io.ember.core.executor} package documentation.
 *
 * @param appId the application the executor serves
 * @param executorId the executor's id within the application
 * @param workerId the worker that launched it
 * @param driverAddress {@code host:port} of the driver
 * @param cores task slots, at least 1
 * @param host the executor's own address
 * @param zooKeeperConnect the ZooKeeper ensemble
 * @param cluster the cluster's name
 * @param sessionTimeout the ZooKeeper session timeout
 * @param settings the application's executor settings
 */
public record ExecutorArguments(String appId, String executorId, String workerId, String driverAddress, int cores,
        String host, String zooKeeperConnect, String cluster, Duration sessionTimeout, Map<String, String> settings) {

    private static final List<String> REQUIRED = List.of("--app-id", "--executor-id", "--worker-id", "--driver",
            "--cores", "--host", "--zookeeper", "--cluster", "--session-timeout");
    private static final String SETTING = "--setting";

    /**
     * @throws IllegalArgumentException naming the offending value when an id is not a valid path
     *     segment, the driver is not {@code host:port}, cores are below 1, a text is blank, or the
     *     session timeout is not positive
     */
    public ExecutorArguments {
        ClusterPaths paths = new ClusterPaths(requireNonNull(cluster, "cluster is null"));
        paths.executor(requireNonNull(appId, "appId is null"), requireNonNull(executorId, "executorId is null"));
        paths.worker(requireNonNull(workerId, "workerId is null"));
        checkAddress(requireNonNull(driverAddress, "driverAddress is null"));
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1: " + cores);
        }
        checkWord("host", requireNonNull(host, "host is null"));
        checkWord("zookeeper connect string", requireNonNull(zooKeeperConnect, "zooKeeperConnect is null"));
        requireNonNull(sessionTimeout, "sessionTimeout is null");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("session timeout must be > 0: " + sessionTimeout);
        }
        settings = Map.copyOf(requireNonNull(settings, "settings is null"));
        settings.keySet().forEach(key -> {
            if (key.isEmpty() || key.indexOf('=') >= 0) {
                throw new IllegalArgumentException("setting key must be non-empty and without '=': '" + key + "'");
            }
        });
    }

    /**
     * Reads a command line (see the package documentation).
     *
     * @throws IllegalArgumentException with a one-line message for an unknown, repeated or missing
     *     option, an option without its value, or a value that is not valid
     */
    public static ExecutorArguments parse(String... args) {
        requireNonNull(args, "args is null");
        Map<String, String> values = new HashMap<>();
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!option.equals(SETTING) && !REQUIRED.contains(option)) {
                throw new IllegalArgumentException("unknown argument '" + option + "'; expected "
                        + String.join(" ", REQUIRED) + " and any number of " + SETTING + " key=value");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[i + 1];
            if (option.equals(SETTING)) {
                int equals = value.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException(SETTING + " must be key=value: '" + value + "'");
                }
                String key = value.substring(0, equals);
                if (settings.putIfAbsent(key, value.substring(equals + 1)) != null) {
                    throw new IllegalArgumentException(SETTING + " " + key + " is given twice");
                }
            } else if (values.putIfAbsent(option, value) != null) {
                throw new IllegalArgumentException(option + " is given twice");
            }
        }
        List<String> missing = REQUIRED.stream().filter(option -> !values.containsKey(option)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + String.join(", ", missing));
        }
        return new ExecutorArguments(values.get("--app-id"), values.get("--executor-id"), values.get("--worker-id"),
                values.get("--driver"), parseCores(values.get("--cores")), values.get("--host"),
                values.get("--zookeeper"), values.get("--cluster"), parseSessionTimeout(values.get("--session-timeout")),
                settings);
    }

    /** The command line that {@link #parse} reads back into these arguments; settings sorted by key. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--app-id", appId, "--executor-id", executorId, "--worker-id", workerId, "--driver", driverAddress,
                "--cores", Integer.toString(cores), "--host", host, "--zookeeper", zooKeeperConnect,
                "--cluster", cluster, "--session-timeout", Durations.format(sessionTimeout)));
        new TreeMap<>(settings).forEach((key, value) -> {
            args.add(SETTING);
            args.add(key + '=' + value);
        });
        return List.copyOf(args);
    }

    private static Duration parseSessionTimeout(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--session-timeout: " + e.getMessage());
        }
    }

    private static int parseCores(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cores must be a whole number: '" + text + "'");
        }
    }

    private static void checkAddress(String address) {
        HostAndPort parsed;
        try {
            parsed = HostAndPort.fromString(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("driver address must be host:port: '" + address + "'");
        }
        if (!parsed.hasPort() || parsed.getHost().isEmpty() || parsed.getPort() == 0) {
            throw new IllegalArgumentException("driver address must be host:port: '" + address + "'");
        }
    }

    private static void checkWord(String what, String value) {
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be non-blank, without white space: '" + value + "'");
        }
    }
}
