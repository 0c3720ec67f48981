package io.ember.core.driver.client;

/**
 * What the leader master tells the driver about its application, as the {@link ApplicationClient}
 * hears it on its watch of the application (see {@code WatchApplication} in {@code control.proto}).
 *
 * <p>Called on the RPC client's threads, in the order the master sent; must not block. After a
 * failover the new leader repeats what stands (why executors are missing, whether the application
 * failed), but failed executors it did not see are not told again.
 */
public interface ApplicationEvents {

    /** Hears nothing. */
    ApplicationEvents NONE = new ApplicationEvents() {
    };

    /** An executor of the application ended by itself with a non-zero exit code. */
    default void executorFailed(ExecutorFailure failure) {
    }

    /**
     * Why the application lacks executors it asked for, in one sentence ("no worker is registered with
     * the leader master", "the cluster is short of free cores or memory: ..."); empty when the leader
     * names nothing in the way (any more).
     */
    default void waiting(String reason) {
    }

    /**
     * The application is over on the cluster: the leader gave it up (its executors kept failing) and
     * launches no more executors for it, or the driver could not register it again after its
     * ZooKeeper session expired; {@code reason} says why in one sentence (quoting what the last
     * failed executor wrote, in the first case).
     */
    default void applicationFailed(String reason) {
    }

    /**
     * The driver's ZooKeeper session had expired and the application is registered again: the
     * leader may have ended it meanwhile, which stopped its executors and had every shuffle service
     * delete its shuffle files, so no map output written before can be trusted.
     */
    default void registeredAgainAfterSessionLoss() {
    }
}
