package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

/**
 * One executor the leader master gives a worker to run. In a launch command the leader may leave
 * the worker, the resources and the driver to the worker (empty, 0); {@link ExecutorCommands#placed}
 * fills them in, and every report of the executor carries the placed assignment.
 *
 * @param appId the application's id
 * @param executorId the executor's id within the application
 * @param workerId the worker it is placed on, or empty
 * @param cores its cores, or 0
 * @param memoryBytes its heap, or 0
 * @param driverAddress {@code host:port} of the application's driver, or empty
 */
record ExecutorAssignment(String appId, String executorId, String workerId, int cores, long memoryBytes,
                          String driverAddress) {

    ExecutorAssignment {
        requireNonNull(appId, "appId is null");
        requireNonNull(executorId, "executorId is null");
        requireNonNull(workerId, "workerId is null");
        requireNonNull(driverAddress, "driverAddress is null");
    }
}
