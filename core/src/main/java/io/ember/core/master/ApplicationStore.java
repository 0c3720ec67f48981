package io.ember.core.master;

/**
 * Where a leader keeps the applications it must remember across a failover: what each driver asked
 * for, its current executor request, its place in the registration order and when it registered. The ZooKeeper store is
 * {@link ZooKeeperRecords}; every write is fenced by the term's epoch.
 *
 * <p>Threading: called on the master's event loop; a write is synchronous.
 */
interface ApplicationStore {

    /**
     * Stores (or replaces) an application's record.
     *
     * @param registeredAtMillis when the application first registered, in milliseconds since the epoch
     */
    void put(ApplicationDescription app, int requestedExecutors, long registrationOrder, long registeredAtMillis);

    /** Removes an application's record and everything under it. */
    void remove(String appId);

    /** The number the next application registered gets, as earlier leaders recorded it; 0 for none. */
    long nextApplicationNumber();

    /** Records the number the next application registered gets. */
    void putNextApplicationNumber(long next);
}
