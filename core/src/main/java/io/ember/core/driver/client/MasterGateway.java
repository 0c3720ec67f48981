package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How the driver calls a master about its application, in the driver's own types; the transport
 * behind it ({@link MasterCalls}) is the only place that knows the wire. Each method is one call to
 * the master at {@code address}: which master leads, retrying and fencing are the callers'
 * ({@link LeaderCalls}, {@link ExecutorRequests}).
 *
 * <p>Threading: thread-safe. Each call blocks its caller for at most the RPC timeout
 * ({@code ember.rpc.timeout}) and returns when the master acknowledged, or throws a
 * {@link MasterCallException} saying why not and whether trying again may help.
 */
interface MasterGateway {

    /**
     * Registers {@code app} (again, when it has an id) wanting {@code requestedExecutors} executors.
     *
     * @param executorIdsFrom the lowest id the leader may give the application's next executor (above
     *     every executor id the driver has heard of; 0 on a first registration)
     * @return what the master answered, as it answered it (the caller fences stale epochs)
     */
    Registered registerApplication(String address, ApplicationDescriptor app, int requestedExecutors,
                                    long executorIdsFrom);

    /** Asks for {@code total} executors of the application in all. */
    void requestTotalExecutors(String address, String appId, int total);

    /** Kills the named executors and sets the application's total to {@code total} in the same step. */
    void killExecutors(String address, String appId, List<String> executorIds, int total);

    /** Ends the application: the master stops its executors and forgets it. */
    void unregisterApplication(String address, String appId);

    /** The master at {@code address} no longer leads: what is kept for calling it (its connection) may go. */
    void forget(String address);

    /**
     * Follows the application at the master at {@code address}: opens its {@code WatchApplication}
     * stream and returns at once. Unlike the other calls it has no deadline; it lasts until the master
     * ends it or the caller cancels it.
     *
     * @param watcher hears each event, then the stream's end, once, on the RPC client's threads
     * @return the open watch, to cancel
     */
    Watch watchApplication(String address, String appId, Watcher watcher);

    /** An open watch of an application. */
    interface Watch {
        /** Ends the watch; its watcher still hears the end (a cancellation). Idempotent. */
        void cancel();
    }

    /** Hears a watch of an application; must not block. */
    interface Watcher {
        /** An event, from the leadership of {@code epoch}. */
        void event(long epoch, WatchEvent event);

        /**
         * The watch ended: {@code failure} is null when the master completed it (the application ended
         * there), else says why (not the leader, unknown application, unreachable, cancelled).
         */
        void ended(MasterCallException failure);
    }

    /**
     * A master's answer to a registration.
     *
     * @param appId the id the master gave the application; empty from a master that did not say
     * @param epoch the leadership the master answered for
     */
    record Registered(String appId, long epoch) {
        public Registered {
            requireNonNull(appId, "appId is null");
        }
    }
}
