package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a worker knows of the application whose executor it launches: the executors' size when the
 * launch command does not say (0 when the application does not either), its driver, and the settings
 * every executor of the application starts with.
 *
 * @param coresPerExecutor an executor's cores, or 0
 * @param memoryPerExecutorBytes an executor's heap, or 0
 * @param driverAddress {@code host:port} of the driver, or empty
 * @param executorSettings settings for the executors' configuration
 */
record ApplicationSettings(int coresPerExecutor, long memoryPerExecutorBytes, String driverAddress,
                           Map<String, String> executorSettings) {

    /** An application that says nothing: the launch command and the worker's defaults decide. */
    static final ApplicationSettings NONE = new ApplicationSettings(0, 0, "", Map.of());

    ApplicationSettings {
        requireNonNull(driverAddress, "driverAddress is null");
        executorSettings = Map.copyOf(requireNonNull(executorSettings, "executorSettings is null"));
    }
}
