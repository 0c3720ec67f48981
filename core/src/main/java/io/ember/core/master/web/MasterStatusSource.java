package io.ember.core.master.web;

/**
 * Where the master's web server reads the master from: the master implements it, its web code
 * only reads.
 *
 * <p>Called on the web server's threads, several at once.
 */
@FunctionalInterface
public interface MasterStatusSource {

    /**
     * The master and, when it leads, its cluster, now.
     *
     * @throws IllegalStateException when the master does not answer in time, or is stopping
     */
    MasterStatus status();
}
