package io.ember.core.driver;

import io.ember.core.rpc.proto.ExecutorMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Where the driver endpoint hands what registered executors send beyond registration and
 * heartbeats: the task scheduler.
 *
 * <p>Threading: called on the RPC server's threads; must not block.
 */
public interface ExecutorTraffic {

    /** Nothing listens: messages are dropped and uploads refused. */
    ExecutorTraffic NONE = new ExecutorTraffic() {
        @Override
        public void onMessage(String executorId, ExecutorMessage message) {
        }

        @Override
        public CompletableFuture<String> resultUploaded(String executorId, long taskId, byte[] result) {
            return CompletableFuture.completedFuture("this driver runs no tasks");
        }
    };

    /** A message (task updates, block updates) from a registered executor's stream. */
    void onMessage(String executorId, ExecutorMessage message);

    /**
     * A result a registered executor uploaded on the side channel.
     *
     * @return completes with {@code null} when accepted, else with the reason it was refused
     */
    CompletableFuture<String> resultUploaded(String executorId, long taskId, byte[] result);
}
