package io.ember.core.driver.endpoint;

import io.ember.api.cluster.ExecutorInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what an endpoint tells its listeners, as lines such as "added e1" and "removed e1: reason". */
final class RecordingListener implements ExecutorListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void executorAdded(ExecutorInfo executor) {
        events.add("added " + executor.executorId());
    }

    @Override
    public void executorRemoved(ExecutorInfo executor, String reason) {
        events.add("removed " + executor.executorId() + ": " + reason);
    }
}
