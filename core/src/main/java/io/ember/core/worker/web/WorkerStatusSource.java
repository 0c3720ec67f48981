package io.ember.core.worker.web;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the worker's web server reads the worker from: the worker implements it, its web code only
 * reads. Called on the web server's threads, several at once.
 */
public interface WorkerStatusSource {

    /** The worker and its executors now. */
    WorkerStatus status();

    /**
     * The file an executor this worker launched writes {@code stream} to, looked up in the worker's
     * own records (never a path built from the request).
     *
     * @param stream {@code stdout} or {@code stderr}
     * @return empty when the worker did not launch that executor (or no longer remembers it), or its
     *     process never started
     */
    Optional<Path> logFile(String appId, String executorId, String stream);
}
