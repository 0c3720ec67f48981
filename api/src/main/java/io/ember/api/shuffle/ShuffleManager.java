package io.ember.api.shuffle;

/**
 * One process's shuffle implementation: on executors it writes map output and reads reduce input;
 * on workers it runs the external shuffle service that serves map output after its executor has
 * gone.
 *
 * <p>API 1.0 fixes only the lifecycle; the writer, reader and block-serving contracts are added
 * with the shuffle implementation. Implementations are thread-safe.
 */
public interface ShuffleManager extends AutoCloseable {

    /** The factory name this manager was created by, e.g. {@code "sort"}. */
    String name();

    /** Releases files, buffers and threads. Idempotent. */
    @Override
    default void close() {
    }
}
