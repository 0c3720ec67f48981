package io.ember.core.master;

/**
 * A driver following its application (its {@code WatchApplication} stream), as the leader's term
 * sees it: {@link MasterRpc} implements it on the stream.
 *
 * <p>Called on the master's event loop only; must not block. A watcher whose driver went away
 * ignores what it is told.
 */
interface ApplicationWatcher {

    /** Something the driver should know about its application. */
    void notice(ApplicationNotice notice);

    /** The application ended at the leader: nothing more will come (the stream completes). */
    void applicationEnded();

    /** The term ended: the driver must follow the next leader (the stream ends with UNAVAILABLE). */
    void leadershipEnded();
}
