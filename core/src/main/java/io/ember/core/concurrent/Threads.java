package io.ember.core.concurrent;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every thread Ember starts outside an {@link EventLoop} comes from here: named, daemon unless said
 * otherwise, and with an uncaught-exception handler that logs which thread died and why, so a bug
 * in a thread of ours is never silent.
 */
public final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
    private static final Thread.UncaughtExceptionHandler LOG_DEATH =
            (thread, failure) -> LOG.error("Thread {} died of an unexpected failure", thread.getName(), failure);

    private Threads() {
    }

    /** A factory of daemon threads all called {@code name} (for a pool of one thread). */
    public static ThreadFactory daemon(String name) {
        requireNonNull(name, "name is null");
        return task -> newThread(name, task, true);
    }

    /** A factory of daemon threads called {@code prefix1}, {@code prefix2}, ... (for a pool). */
    public static ThreadFactory numberedDaemons(String prefix) {
        requireNonNull(prefix, "prefix is null");
        AtomicInteger counter = new AtomicInteger();
        return task -> newThread(prefix + counter.incrementAndGet(), task, true);
    }

    /** Starts a daemon thread called {@code name} running {@code task}. */
    public static Thread startDaemon(String name, Runnable task) {
        Thread thread = newThread(name, task, true);
        thread.start();
        return thread;
    }

    /** A thread, not started, with the uncaught-exception handler; a JVM shutdown hook is one. */
    public static Thread newThread(String name, Runnable task, boolean daemon) {
        requireNonNull(name, "name is null");
        requireNonNull(task, "task is null");
        Thread thread = new Thread(task, name);
        thread.setDaemon(daemon);
        thread.setUncaughtExceptionHandler(LOG_DEATH);
        return thread;
    }
}
