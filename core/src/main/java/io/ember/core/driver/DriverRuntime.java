package io.ember.core.driver;

import io.ember.api.cluster.ApplicationInfo;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.driver.endpoint.DriverEndpoint;
import io.ember.core.driver.endpoint.ExecutorListener;
import io.ember.core.scheduler.ShuffleActivity;
import java.time.Duration;
import java.util.List;

/**
 * Where an {@link EmberContext}'s tasks run, chosen once at start by {@code ember.master}: one
 * in-process executor ({@link LocalRuntime}, {@code local[N]}) or a cluster's executors
 * ({@link ClusterRuntime}, {@code local-cluster[W,C]} and {@code ember://...}). The context keeps
 * the application's API and asks its runtime only what differs between the two.
 *
 * <p>Thread-safe; {@link #close()} is called once, by the context.
 */
sealed interface DriverRuntime permits LocalRuntime, ClusterRuntime {

    /** The running application. */
    ApplicationInfo application();

    /** Cores the application expects to hold before its executors register; 0 when it holds them already. */
    int expectedCores();

    /** What the allocation policy hears of the jobs' shuffles; {@link ShuffleActivity#NONE} without one. */
    ShuffleActivity shuffleActivity();

    /**
     * Runs {@code forgetOutputs} whenever every shuffle file the application wrote may be gone (on a
     * cluster: the driver's session expired, and the leader may have ended the application). Local
     * modes never lose them that way.
     */
    default void whenShuffleFilesLost(Runnable forgetOutputs) {
    }

    /**
     * Tells {@code listener} of executors joining and leaving from now on. Local mode's one executor
     * never comes or goes: it hears nothing.
     */
    default void addExecutorListener(ExecutorListener listener) {
    }

    /** Tells {@code listener} of the allocation policy's decisions from now on; local mode makes none. */
    default void addDecisionListener(DriverAllocationClient.DecisionListener listener) {
    }

    /** The executors registered now. */
    List<ExecutorInfo> executors();

    /**
     * Waits until at least {@code count} executors have registered.
     *
     * @throws ExecutorWaitTimeoutException when fewer did within {@code timeout}
     * @throws ApplicationFailedException when the cluster gave the application up meanwhile
     */
    List<ExecutorInfo> awaitExecutors(int count, Duration timeout);

    /**
     * Where the application's own executor requests go.
     *
     * @param request the request, as the application made it, for the error
     * @throws UnsupportedOperationException when this runtime has no executors to request or kill
     */
    AllocationLoop allocation(String request);

    /** The scheduling policy was reloaded: whatever else in this process schedules follows it too. */
    void schedulingPolicyReloaded(SchedulingPolicy policy);

    /** The cluster's name; empty without a cluster. */
    String cluster();

    /** The cluster's ZooKeeper ensemble; empty without a cluster. */
    String zookeeperConnect();

    /** {@code host:port} executors reach the driver at; empty without a cluster. */
    String driverAddress();

    /**
     * The endpoint executors connect to.
     *
     * @throws IllegalStateException without a cluster
     */
    DriverEndpoint endpoint();

    /** Stops the executors and closes what this runtime started, quietly. */
    void close();
}
