package io.ember.shuffle.sort;

import io.ember.api.shuffle.ShuffleBlockId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Fetches blocks with a {@link ShuffleClient} and waits for every outcome: a block, or the reason it failed. */
final class TestingFetch implements BlockListener {

    private final int expected;
    private final Map<ShuffleBlockId, Object> outcomes = new ConcurrentHashMap<>();
    private final CompletableFuture<Map<ShuffleBlockId, Object>> done = new CompletableFuture<>();

    private TestingFetch(int expected) {
        this.expected = expected;
    }

    /** Each block's outcome: a {@link FetchedBlock} or the failure reason as a {@link String}. */
    static Map<ShuffleBlockId, Object> fetch(ShuffleClient client, int port, String appId, String executorId,
                                             ShuffleBlockId... ids) {
        TestingFetch listener = new TestingFetch(ids.length);
        client.fetch("127.0.0.1", port, appId, executorId, List.of(ids), listener);
        return listener.done.join();
    }

    /** Starts a fetch; its outcomes come later. */
    static Pending start(ShuffleClient client, int port, String appId, String executorId, ShuffleBlockId... ids) {
        TestingFetch listener = new TestingFetch(ids.length);
        client.fetch("127.0.0.1", port, appId, executorId, List.of(ids), listener);
        return new Pending(listener.done);
    }

    /** A fetch under way. */
    record Pending(CompletableFuture<Map<ShuffleBlockId, Object>> done) {
        /** Waits for each block's outcome, as {@link #fetch} returns them. */
        Map<ShuffleBlockId, Object> outcomes() {
            return done.join();
        }
    }

    /** The bytes of one block, or an assertion error with the reason it failed. */
    static byte[] fetchBytes(ShuffleClient client, int port, String appId, String executorId, ShuffleBlockId id) {
        Object outcome = fetch(client, port, appId, executorId, id).get(id);
        if (outcome instanceof FetchedBlock block) {
            if (!block.intact()) {
                throw new AssertionError(id + " arrived corrupt");
            }
            return block.data();
        }
        throw new AssertionError(id + " failed: " + outcome);
    }

    @Override
    public void onBlock(ShuffleBlockId id, FetchedBlock block) {
        record(id, block);
    }

    @Override
    public void onFailure(ShuffleBlockId id, String reason, Throwable cause) {
        record(id, reason);
    }

    private void record(ShuffleBlockId id, Object outcome) {
        if (outcomes.put(id, outcome) != null) {
            done.completeExceptionally(new AssertionError("two outcomes for " + id));
        }
        if (outcomes.size() == expected) {
            done.complete(Map.copyOf(outcomes));
        }
    }
}
