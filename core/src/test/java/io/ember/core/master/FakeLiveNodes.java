package io.ember.core.master;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link LiveNodes} the test sets: a node is present once added, until removed. */
final class FakeLiveNodes implements LiveNodes {

    final Set<String> workers = ConcurrentHashMap.newKeySet();
    final Set<String> executors = ConcurrentHashMap.newKeySet();
    final Set<String> drivers = ConcurrentHashMap.newKeySet();

    @Override
    public boolean hasWorker(String workerId) {
        return workers.contains(workerId);
    }

    @Override
    public boolean hasExecutor(String appId, String executorId) {
        return executors.contains(appId + "/" + executorId);
    }

    @Override
    public boolean hasDriver(String appId) {
        return drivers.contains(appId);
    }
}
