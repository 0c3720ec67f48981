package io.ember.core.scheduler;

import io.ember.core.task.BlockId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which executors hold which cached partitions, as their block managers reported. Not thread-safe:
 * owned by the scheduler thread.
 */
final class BlockLocations {

    private static final String[] NONE = new String[0];

    private final Map<BlockId, Set<String>> holders = new HashMap<>();
    private final Map<String, Set<BlockId>> byExecutor = new HashMap<>();

    void stored(String executorId, BlockId block) {
        holders.computeIfAbsent(block, b -> new LinkedHashSet<>(2)).add(executorId);
        byExecutor.computeIfAbsent(executorId, e -> new HashSet<>()).add(block);
    }

    void dropped(String executorId, BlockId block) {
        Set<String> executors = holders.get(block);
        if (executors != null && executors.remove(executorId) && executors.isEmpty()) {
            holders.remove(block);
        }
        Set<BlockId> blocks = byExecutor.get(executorId);
        if (blocks != null) {
            blocks.remove(block);
        }
    }

    /** Forgets every block of a lost executor. */
    void executorLost(String executorId) {
        Set<BlockId> blocks = byExecutor.remove(executorId);
        if (blocks == null) {
            return;
        }
        for (BlockId block : blocks) {
            Set<String> executors = holders.get(block);
            if (executors != null && executors.remove(executorId) && executors.isEmpty()) {
                holders.remove(block);
            }
        }
    }

    /**
     * Forgets every block of a dataset (unpersisted).
     *
     * @return the executors that held blocks before and hold none now
     */
    List<String> datasetDropped(int datasetId) {
        holders.keySet().removeIf(block -> block.datasetId() == datasetId);
        List<String> emptied = new ArrayList<>();
        byExecutor.forEach((executorId, blocks) -> {
            if (blocks.removeIf(block -> block.datasetId() == datasetId) && blocks.isEmpty()) {
                emptied.add(executorId);
            }
        });
        return emptied;
    }

    /** Whether an executor holds cached blocks. */
    boolean holdsBlocks(String executorId) {
        Set<BlockId> blocks = byExecutor.get(executorId);
        return blocks != null && !blocks.isEmpty();
    }

    /**
     * The executors holding partition {@code partition} of the nearest of these datasets that is
     * cached anywhere; empty when none is.
     */
    String[] holders(int[] datasetIds, int partition) {
        for (int datasetId : datasetIds) {
            Set<String> executors = holders.get(new BlockId(datasetId, partition));
            if (executors != null && !executors.isEmpty()) {
                return executors.toArray(NONE);
            }
        }
        return NONE;
    }
}
