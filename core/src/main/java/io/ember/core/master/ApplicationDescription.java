package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a driver asks of the cluster for its application, in the master's own terms: the shape of its
 * executors, the queue it joins, where its executors find the driver and the settings they start with.
 * The leader keeps it while the application lives, stores it in ZooKeeper and hands it to workers with
 * every launch.
 *
 * @param appId the application's id; empty when a driver registers for the first time
 * @param name the application's name
 * @param queue the application scheduler's queue it joins
 * @param coresPerExecutor the cores of each executor
 * @param memoryPerExecutorBytes the memory of each executor
 * @param driverAddress host:port of the driver's endpoint for its executors
 * @param executorSettings the settings every executor of the application starts with, in the driver's order
 * @param maxLaunchFailures its executors that may exit before registering, in a row, before it fails
 *     ({@code ember.executor.maxLaunchFailures}); 0 when the driver did not say (the key's default applies)
 * @param maxExecutorFailures its executors that may fail in a row before it fails
 *     ({@code ember.executor.maxFailures}); 0 when the driver did not say (the key's default applies)
 * @param uiUrl the base URL of the driver's web UI, which the master's pages link to; empty when it
 *     serves none (or did not say)
 */
record ApplicationDescription(String appId, String name, String queue, int coresPerExecutor,
                              long memoryPerExecutorBytes, String driverAddress, Map<String, String> executorSettings,
                              int maxLaunchFailures, int maxExecutorFailures, String uiUrl) {

    ApplicationDescription {
        requireNonNull(appId, "appId is null");
        requireNonNull(name, "name is null");
        requireNonNull(queue, "queue is null");
        requireNonNull(driverAddress, "driverAddress is null");
        executorSettings = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(executorSettings, "executorSettings is null")));
        if (maxLaunchFailures < 0 || maxExecutorFailures < 0) {
            throw new IllegalArgumentException("failure limits must be >= 0 (0: the default): " + maxLaunchFailures
                    + ", " + maxExecutorFailures);
        }
        requireNonNull(uiUrl, "uiUrl is null");
    }

    /** A description whose failure limits are the keys' defaults, of a driver without a web UI. */
    ApplicationDescription(String appId, String name, String queue, int coresPerExecutor, long memoryPerExecutorBytes,
                           String driverAddress, Map<String, String> executorSettings) {
        this(appId, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress, executorSettings, 0, 0, "");
    }

    /** A description of a driver without a web UI. */
    ApplicationDescription(String appId, String name, String queue, int coresPerExecutor, long memoryPerExecutorBytes,
                           String driverAddress, Map<String, String> executorSettings, int maxLaunchFailures,
                           int maxExecutorFailures) {
        this(appId, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress, executorSettings,
                maxLaunchFailures, maxExecutorFailures, "");
    }

    /** The same description under the id the leader gave the application. */
    ApplicationDescription withAppId(String id) {
        return new ApplicationDescription(id, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress,
                executorSettings, maxLaunchFailures, maxExecutorFailures, uiUrl);
    }
}
