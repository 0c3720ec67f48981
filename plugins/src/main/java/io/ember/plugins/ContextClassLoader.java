package io.ember.plugins;

import java.util.function.Supplier;

/**
 * Switches the current thread's context class loader to a plugin's around a call into plugin code,
 * without allocating and without touching the thread when it is already right:
 *
 * <pre>{@code
 * ClassLoader previous = ContextClassLoader.enter(pluginLoader);
 * try {
 *     return delegate.offer(accepts);
 * } finally {
 *     ContextClassLoader.restore(previous);
 * }
 * }</pre>
 *
 * <p>Acts on the calling thread only; safe from any thread.
 */
final class ContextClassLoader {

    private ContextClassLoader() {
    }

    /** Makes {@code loader} the current thread's context class loader; returns the one to restore. */
    static ClassLoader enter(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous != loader) {
            thread.setContextClassLoader(loader);
        }
        return previous;
    }

    /** Puts back the context class loader {@link #enter} returned. */
    static void restore(ClassLoader previous) {
        Thread thread = Thread.currentThread();
        if (thread.getContextClassLoader() != previous) {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@code action} with {@code loader} as the context class loader. For calls off the hot
     * path: the lambda may allocate. Hot paths use {@link #enter}/{@link #restore} inline.
     */
    static void run(ClassLoader loader, Runnable action) {
        ClassLoader previous = enter(loader);
        try {
            action.run();
        } finally {
            restore(previous);
        }
    }

    /** Like {@link #run}, returning the action's result. */
    static <T> T call(ClassLoader loader, Supplier<T> action) {
        ClassLoader previous = enter(loader);
        try {
            return action.get();
        } finally {
            restore(previous);
        }
    }
}
