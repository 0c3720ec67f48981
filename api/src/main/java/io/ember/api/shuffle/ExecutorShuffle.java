package io.ember.api.shuffle;

import java.util.List;

/**
 * The shuffle of one executor: writes its map tasks' output, reads its reduce tasks' input, and
 * makes its output fetchable by others, through the host's external shuffle service (with which it
 * registered its directories) or, without one, by serving it itself.
 *
 * <p>Thread-safe: many task threads write and read at once.
 */
public interface ExecutorShuffle extends AutoCloseable {

    /**
     * Where others fetch the output of this executor's map tasks: the external shuffle service's
     * address (which keeps serving after this executor exits) or this executor's own server.
     */
    BlockLocation location();

    /**
     * Whether {@link #location()} keeps serving this executor's output after the executor exits (an
     * external shuffle service does; the executor's own server does not). The driver keeps an idle
     * executor whose output would be lost, while a running job needs it, when dynamic allocation
     * tracks shuffles. Since API 1.1; the default, {@code false}, is the safe answer.
     */
    default boolean outlivesExecutor() {
        return false;
    }

    /**
     * A writer for one map task's output.
     *
     * @param shuffleId the shuffle
     * @param mapId the map task attempt, unique within the application
     * @param partitions how many reduce partitions
     */
    ShuffleWriter writer(int shuffleId, long mapId, int partitions);

    /**
     * A writer for one map task's output whose buffer grows within {@code memory}, the task's share of
     * the executor's budget: it spills when granted less, or when the task's other buffers need memory,
     * and gives back all it holds when it commits or aborts. Since API 1.5; the default ignores
     * {@code memory} and calls {@link #writer(int, long, int)}.
     */
    default ShuffleWriter writer(int shuffleId, long mapId, int partitions, ShuffleMemory memory) {
        return writer(shuffleId, mapId, partitions);
    }

    /**
     * A reader of the blocks of one reduce partition; blocks at {@link #location()} of this executor
     * are read from disk without a connection.
     */
    ShuffleReader reader(List<MapBlock> blocks);

    /**
     * A reader whose blocks in flight are held within {@code memory}, the task's share of the
     * executor's budget, and given back as they are handed out and when it closes. Since API 1.5;
     * the default ignores {@code memory} and calls {@link #reader(List)}.
     */
    default ShuffleReader reader(List<MapBlock> blocks, ShuffleMemory memory) {
        return reader(blocks);
    }

    /**
     * Deletes the files of a shuffle nothing in the driver references any more (its driver's context
     * cleaner found the dataset that owned it unreachable): this executor's own, and, for a shuffle
     * an external service serves, those the service keeps of the application's other executors on
     * this host (those that exited too), when the plugin can ask it. Called on the executor's command
     * thread; it may block for a few seconds, not longer. A shuffle with no files here is no error.
     */
    void removeShuffle(int shuffleId);

    /**
     * As {@link #removeShuffle(int)}, and asks the shuffle services at {@code services} (where map
     * outputs of the shuffle were written, on hosts that may run no executor of the application any
     * more) to delete the application's files of it too. The driver hands the list to one executor.
     * Since API 1.5; the default deletes only what {@link #removeShuffle(int)} does.
     */
    default void removeShuffle(int shuffleId, List<BlockLocation> services) {
        removeShuffle(shuffleId);
    }

    /** Stops serving (when serving itself) and releases connections; files stay for the service. */
    @Override
    void close();
}
