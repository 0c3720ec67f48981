package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One worker as the leader tracks it: what it offers, what its executors use, where its web UI is
 * and when the leader last heard from it. Confined to the master's event loop.
 */
final class WorkerResources {

    private final WorkerInfo info;
    private final String uiUrl;
    private final Map<String, Integer> executorsPerApp = new HashMap<>();
    private int usedCores;
    private long usedMemory;
    /** Its registration or latest report to this term; null for a worker known only from ZooKeeper so far. */
    private Instant lastContact;

    /**
     * @param uiUrl its web UI's base URL; empty for none, or not known yet
     * @param lastContact when it registered with this term; null when it is known from ZooKeeper only
     */
    WorkerResources(WorkerInfo info, String uiUrl, Instant lastContact) {
        this.info = requireNonNull(info, "info is null");
        this.uiUrl = requireNonNull(uiUrl, "uiUrl is null");
        this.lastContact = lastContact;
    }

    WorkerResources(WorkerInfo info) {
        this(info, "", null);
    }

    WorkerInfo info() {
        return info;
    }

    String uiUrl() {
        return uiUrl;
    }

    /** When this term last heard from the worker; empty when it has not yet (known from ZooKeeper only). */
    Optional<Instant> lastContact() {
        return Optional.ofNullable(lastContact);
    }

    /** The worker spoke to the leader (it reported an executor). */
    void heardFrom(Instant when) {
        lastContact = requireNonNull(when, "when is null");
    }

    int usedCores() {
        return usedCores;
    }

    long usedMemory() {
        return usedMemory;
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
