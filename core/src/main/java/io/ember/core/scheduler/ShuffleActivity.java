package io.ember.core.scheduler;

/**
 * Hears, from the {@link StagePlanner}, which shuffles running jobs need and which map outputs are
 * served by the executors that wrote them (and so are lost with them): what dynamic allocation's
 * shuffle tracking needs to know.
 *
 * <p>Threading: called on the threads that run jobs, several at once; implementations must be
 * thread-safe and return quickly. Calls about one shuffle's activity arrive in the order the
 * changes happened.
 */
public interface ShuffleActivity {

    /** Hears nothing (local mode). */
    ShuffleActivity NONE = new ShuffleActivity() {
        @Override
        public void shuffleActive(int shuffleId, boolean active) {
        }

        @Override
        public void executorOutput(String executorId, int shuffleId) {
        }

        @Override
        public void shuffleRemoved(int shuffleId) {
        }
    };

    /** Whether some running job needs the output of {@code shuffleId}; called when that changes. */
    void shuffleActive(int shuffleId, boolean active);

    /** An executor wrote map output of {@code shuffleId} that only it serves. */
    void executorOutput(String executorId, int shuffleId);

    /** The driver cleaned up a shuffle nothing references any more; its files are being deleted. */
    void shuffleRemoved(int shuffleId);
}
