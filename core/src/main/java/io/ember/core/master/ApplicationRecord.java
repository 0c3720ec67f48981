package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingLevel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registered application as the leader tracks it; also what the application scheduler (the
 * scheduler plugin at the {@link SchedulingLevel#APPLICATIONS} level) sees:
 * it holds the cores of its executors and wants the cores of the executors it asked for but lacks.
 * Confined to the master's event loop.
 */
final class ApplicationRecord implements Schedulable {

    private final String appId;
    private final String name;
    private final String queue;
    private final long registrationOrder;
    private final int coresPerExecutor;
    private final long memoryPerExecutor;
    private final Map<String, ExecutorRecord> executors = new LinkedHashMap<>();
    private int requestedExecutors;
    private long nextExecutorId;

    ApplicationRecord(String appId, String name, String queue, long registrationOrder, int coresPerExecutor,
                      long memoryPerExecutor) {
        this.appId = requireNonNull(appId, "appId is null");
        this.name = requireNonNull(name, "name is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.registrationOrder = registrationOrder;
        if (coresPerExecutor < 1 || memoryPerExecutor < 1) {
            throw new IllegalArgumentException("executors need cores and memory: " + coresPerExecutor + ", "
                    + memoryPerExecutor);
        }
        this.coresPerExecutor = coresPerExecutor;
        this.memoryPerExecutor = memoryPerExecutor;
    }

    String appId() {
        return appId;
    }

    String appName() {
        return name;
    }

    int coresPerExecutor() {
        return coresPerExecutor;
    }

    long memoryPerExecutor() {
        return memoryPerExecutor;
    }

    int requestedExecutors() {
        return requestedExecutors;
    }

    void requestTotal(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("requested executors must be >= 0: " + total);
        }
        this.requestedExecutors = total;
    }

    Map<String, ExecutorRecord> executors() {
        return executors;
    }

    /** The executors it lacks: asked for but neither running nor launching. */
    int missingExecutors() {
        return Math.max(0, requestedExecutors - executors.size());
    }

    /** A fresh executor id, never reused within this application (also across failovers). */
    String newExecutorId() {
        return Long.toString(nextExecutorId++);
    }

    /** Makes sure later ids are above one seen elsewhere (a worker's report, the registry). */
    void observeExecutorId(String executorId) {
        try {
            nextExecutorId = Math.max(nextExecutorId, Long.parseLong(executorId) + 1);
        } catch (NumberFormatException e) {
            // Not one of ours; it cannot collide with a numeric id.
        }
    }

    @Override
    public String name() {
        return appId;
    }

    @Override
    public String group() {
        return queue;
    }

    @Override
    public long priority() {
        return registrationOrder;
    }

    @Override
    public long sequence() {
        return 0;
    }

    @Override
    public int running() {
        return executors.size() * coresPerExecutor;
    }

    @Override
    public int pending() {
        return missingExecutors() * coresPerExecutor;
    }

    @Override
    public String toString() {
        return appId + " (" + name + ")";
    }
}
