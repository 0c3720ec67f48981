package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker as the leader tracks it: what it offers and what its executors use. Confined to the
 * master's event loop.
 */
final class WorkerResources {

    private final WorkerInfo info;
    private final Map<String, Integer> executorsPerApp = new HashMap<>();
    private int usedCores;
    private long usedMemory;

    WorkerResources(WorkerInfo info) {
        this.info = requireNonNull(info, "info is null");
    }

    WorkerInfo info() {
        return info;
    }

    String id() {
        return info.workerId();
    }

    int freeCores() {
        return info.cores() - usedCores;
    }

    long freeMemory() {
        return info.memoryBytes() - usedMemory;
    }

    int executorsOf(String appId) {
        return executorsPerApp.getOrDefault(appId, 0);
    }

    boolean fits(int cores, long memory) {
        return freeCores() >= cores && freeMemory() >= memory;
    }

    void allocate(String appId, int cores, long memory) {
        usedCores += cores;
        usedMemory += memory;
        executorsPerApp.merge(appId, 1, Integer::sum);
    }

    void release(String appId, int cores, long memory) {
        usedCores -= cores;
        usedMemory -= memory;
        executorsPerApp.computeIfPresent(appId, (k, n) -> n == 1 ? null : n - 1);
    }
}
