package io.ember.core.rpc;

import io.ember.core.concurrent.Threads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The small, named pools gRPC runs call handlers and listeners on, instead of its default
 * unbounded cached pool. Handlers must not block for long: a pool of a few threads is shared by
 * every call of one server or channel cache.
 */
final class RpcExecutors {

    private static final int MIN_THREADS = 4;
    private static final int MAX_THREADS = 16;
    private static final long IDLE_SECONDS = 60;

    private RpcExecutors() {}

    /**
     * A fixed-size pool (one thread per core, within [4, 16]) of daemon threads named
     * {@code ember-rpc-<name>-N}; idle threads end after a minute.
     */
    static ExecutorService pool(String name) {
        int threads = Math.max(MIN_THREADS, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        String prefix = "ember-rpc-" + name + '-';
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Threads.numberedDaemons(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
