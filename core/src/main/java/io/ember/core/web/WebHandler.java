package io.ember.core.web;

/**
 * Answers the GET requests of one route.
 *
 * <p>Threading: called on the web server's threads, several at once; it reads state that other
 * threads change, so it must read it safely (a snapshot, a concurrent structure, or a lock held
 * briefly) and never block for long.
 */
@FunctionalInterface
public interface WebHandler {

    /**
     * @return the answer; an exception it throws is logged and answered with 500
     */
    WebResponse handle(WebRequest request) throws Exception;
}
