package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applications running in a JVM: every {@link EmberContext} from the end of its start to its
 * {@link EmberContext#close() close}, so that whoever owns the process ({@code ember submit}) can
 * end them all, in order, when the JVM is told to stop, and no new one starts from then on.
 *
 * <p>There is one per JVM, {@link #ofProcess()}, and it is the one piece of process-wide state of
 * the driver: contexts are built by application code, through {@code EmberContext.builder()}, which
 * the process's owner cannot hand an object to, and what stops them (SIGINT, SIGTERM) is process-wide
 * too. Tests make their own.
 *
 * <p>Thread-safe: contexts start and close on the application's threads, {@link #stop} runs on a
 * shutdown hook.
 */
public final class RunningApplications {

    private static final Logger LOG = LoggerFactory.getLogger(RunningApplications.class);
    private static final RunningApplications PROCESS = new RunningApplications();

    private final Object lock = new Object();
    /** Oldest first. Guarded by {@link #lock}. */
    private final Set<EmberContext> running = new LinkedHashSet<>();
    /** Why no application may start any more; null while they may. Guarded by {@link #lock}. */
    private String refusal;
    /** Guarded by {@link #lock}. */
    private final List<Watcher> watchers = new ArrayList<>();

    /**
     * Hears the applications of a JVM start and end: what the process's owner adds to each (a
     * progress bar on its terminal). Called on the application's thread, after its start and as its
     * close begins; an exception thrown here is logged and changes nothing else.
     */
    public interface Watcher {

        /** {@code context} has started: it runs jobs from now on. */
        void started(EmberContext context);

        /** {@code context} is closing: it runs no job any more. */
        void ended(EmberContext context);
    }

    /** Applications of their own, apart from the process's: for tests, and for embedding ({@link EmberContext.Builder#applications}). */
    public RunningApplications() {
    }

    /** The applications of this JVM. */
    public static RunningApplications ofProcess() {
        return PROCESS;
    }

    /**
     * Refuses every application that has not started yet, from now on (its start fails with an
     * {@link IllegalStateException} giving {@code reason}).
     *
     * @return the applications running now, oldest first: those {@link #stop()} ends
     */
    public List<EmberContext> refuseNew(String reason) {
        requireNonNull(reason, "reason is null");
        synchronized (lock) {
            if (refusal == null) {
                refusal = reason;
            }
            return List.copyOf(running);
        }
    }

    /**
     * Closes every running application, the newest first, each as {@link EmberContext#close()} does
     * (its jobs fail, the master unregisters it and stops its executors, its local cluster stops and
     * its files go). Blocks until they are closed; call {@link #refuseNew} first, or an application
     * starting meanwhile is left running.
     *
     * @return the ids of the applications it closed, in the order it closed them
     */
    public List<String> stop() {
        List<EmberContext> closing;
        synchronized (lock) {
            closing = new ArrayList<>(running);
        }
        Collections.reverse(closing);
        for (EmberContext context : closing) {
            context.close();
        }
        return closing.stream().map(EmberContext::applicationId).toList();
    }

    /** Tells {@code watcher} of every application that starts or ends from now on. */
    public void watch(Watcher watcher) {
        requireNonNull(watcher, "watcher is null");
        synchronized (lock) {
            watchers.add(watcher);
        }
    }

    /** The ids of the applications running now, oldest first. */
    public List<String> applicationIds() {
        synchronized (lock) {
            return running.stream().map(EmberContext::applicationId).toList();
        }
    }

    /**
     * Checks that an application may start.
     *
     * @throws IllegalStateException when {@link #refuseNew} was called
     */
    void checkAccepting() {
        synchronized (lock) {
            if (refusal != null) {
                throw refused();
            }
        }
    }

    /**
     * Adds a context that has just started.
     *
     * @return false when applications were refused meanwhile: the caller closes the context
     */
    boolean add(EmberContext context) {
        requireNonNull(context, "context is null");
        List<Watcher> told;
        synchronized (lock) {
            if (refusal != null) {
                return false;
            }
            running.add(context);
            told = List.copyOf(watchers);
        }
        told.forEach(watcher -> tell(watcher, () -> watcher.started(context), context));
        return true;
    }

    /** Forgets a context that is closing. */
    void remove(EmberContext context) {
        List<Watcher> told;
        synchronized (lock) {
            if (!running.remove(context)) {
                return;
            }
            told = List.copyOf(watchers);
        }
        told.forEach(watcher -> tell(watcher, () -> watcher.ended(context), context));
    }

    private static void tell(Watcher watcher, Runnable call, EmberContext context) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed on application {}: {}", watcher, context.applicationId(), e.toString());
        }
    }

    /** The error of an application that may not start (call while refusing). */
    IllegalStateException refused() {
        synchronized (lock) {
            return new IllegalStateException("no application starts in this process any more: " + refusal);
        }
    }
}
