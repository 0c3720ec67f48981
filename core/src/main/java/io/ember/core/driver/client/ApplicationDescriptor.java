package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ApplicationInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application as the driver describes it to the master: the shape of its executors, the queue
 * it joins, where its executors find the driver and the settings they start with. The driver builds
 * it from its configuration, registers it, and registers it again (under the id the master gave it)
 * with every new leader.
 *
 * @param appId the application's id; empty until the master assigned one
 * @param name the application's name ({@code ember.app.name})
 * @param queue the application scheduler's queue it joins ({@code ember.app.queue})
 * @param coresPerExecutor the cores of each executor
 * @param memoryPerExecutorBytes the memory of each executor
 * @param driverAddress host:port of the driver's endpoint for its executors
 * @param executorSettings the settings every executor of the application starts with, in this order
 * @param maxLaunchFailures executors that may exit before registering, in a row, before the leader gives
 *     the application up ({@code ember.executor.maxLaunchFailures}); 0 leaves it to the leader's default
 * @param maxExecutorFailures executors that may fail in a row before the leader gives the application up
 *     ({@code ember.executor.maxFailures}); 0 leaves it to the leader's default
 * @param uiUrl the base URL of the driver's web UI, which the master's pages link to; empty when it
 *     serves none
 */
public record ApplicationDescriptor(String appId, String name, String queue, int coresPerExecutor,
                                    long memoryPerExecutorBytes, String driverAddress,
                                    Map<String, String> executorSettings, int maxLaunchFailures,
                                    int maxExecutorFailures, String uiUrl) {

    public ApplicationDescriptor {
        requireNonNull(appId, "appId is null");
        requireNonNull(name, "name is null");
        requireNonNull(queue, "queue is null");
        requireNonNull(driverAddress, "driverAddress is null");
        requireNonNull(uiUrl, "uiUrl is null");
        executorSettings = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(executorSettings, "executorSettings is null")));
        if (maxLaunchFailures < 0 || maxExecutorFailures < 0) {
            throw new IllegalArgumentException("failure limits must be >= 0 (0: the leader's default): "
                    + maxLaunchFailures + ", " + maxExecutorFailures);
        }
    }

    /** A new application, before the master assigned its id, with the leader's failure limits. */
    public static ApplicationDescriptor unregistered(String name, String queue, int coresPerExecutor,
            long memoryPerExecutorBytes, String driverAddress, Map<String, String> executorSettings) {
        return new ApplicationDescriptor("", name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress,
                executorSettings, 0, 0, "");
    }

    /** The same application with these failure limits (see the components). */
    public ApplicationDescriptor withFailureLimits(int launchFailures, int executorFailures) {
        return new ApplicationDescriptor(appId, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress,
                executorSettings, launchFailures, executorFailures, uiUrl);
    }

    /** The same application with its web UI at {@code url} (empty: none). */
    public ApplicationDescriptor withUiUrl(String url) {
        return new ApplicationDescriptor(appId, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress,
                executorSettings, maxLaunchFailures, maxExecutorFailures, url);
    }

    /** The same application under the id the master gave it. */
    ApplicationDescriptor withAppId(String id) {
        return new ApplicationDescriptor(id, name, queue, coresPerExecutor, memoryPerExecutorBytes, driverAddress,
                executorSettings, maxLaunchFailures, maxExecutorFailures, uiUrl);
    }

    /** The application as the API shows it, under {@code id}. */
    public ApplicationInfo info(String id) {
        return new ApplicationInfo(id, name, queue, coresPerExecutor, memoryPerExecutorBytes);
    }
}
