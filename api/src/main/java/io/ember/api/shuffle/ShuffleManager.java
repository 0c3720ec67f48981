package io.ember.api.shuffle;

/**
 * One process's shuffle implementation: on executors it writes map output and reads reduce input;
 * on workers it runs the external shuffle service that serves map output after its executor has
 * gone.
 *
 * <p>The manager moves bytes: the host serializes records, chooses each record's reduce partition
 * and aggregates; the manager stores each map task's output as one block per reduce partition,
 * serves blocks to other hosts and fetches and verifies them for reduce tasks. Implementations are
 * thread-safe.
 */
public interface ShuffleManager extends AutoCloseable {

    /** The factory name this manager was created by, e.g. {@code "sort"}. */
    String name();

    /**
     * Opens the shuffle of an executor: registers its directories with the host's external shuffle
     * service when the context names one, else starts serving its output itself.
     *
     * @throws UnsupportedOperationException when this implementation cannot run on executors
     * @throws java.io.UncheckedIOException when the service cannot be reached or a server cannot start
     */
    default ExecutorShuffle openExecutor(ExecutorShuffleContext context) {
        throw new UnsupportedOperationException("the " + name() + " shuffle does not run on executors");
    }

    /**
     * Starts the external shuffle service of a worker host, remembering the executors registered
     * with it before a restart.
     *
     * @throws UnsupportedOperationException when this implementation has no external service
     * @throws java.io.UncheckedIOException when it cannot listen or read its state
     */
    default ShuffleService startService(ShuffleServiceContext context) {
        throw new UnsupportedOperationException("the " + name() + " shuffle has no external service");
    }

    /** Releases files, buffers and threads. Idempotent. */
    @Override
    default void close() {
    }
}
