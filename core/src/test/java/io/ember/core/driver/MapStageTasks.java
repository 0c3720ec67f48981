package io.ember.core.driver;

import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The tasks of map stages launched, and the executors they went to, heard by a scheduler listener. */
final class MapStageTasks implements SchedulerListener {

    private final Set<StageId> mapStages = new TreeSet<>();
    private final List<Integer> launched = new ArrayList<>();
    private final List<String> launchedOn = new ArrayList<>();
    private final Set<String> executors = new TreeSet<>();

    @Override
    public synchronized void onStageSubmitted(StageSubmitted event) {
        if (event.description().startsWith("map stage")) {
            mapStages.add(event.stageId());
        }
    }

    @Override
    public synchronized void onTaskStart(TaskStart event) {
        if (mapStages.contains(event.stageId())) {
            launched.add(event.partition());
            launchedOn.add(event.executorId());
            executors.add(event.executorId());
        }
    }

    /** Map-stage tasks launched so far. */
    synchronized int count() {
        return launched.size();
    }

    /** The partitions of the map-stage tasks launched from the {@code from}-th on, on {@code executorId} or anywhere (null). */
    synchronized Set<Integer> partitions(int from, int to, String executorId) {
        Set<Integer> partitions = new TreeSet<>();
        for (int i = from; i < Math.min(to, launched.size()); i++) {
            if (executorId == null || launchedOn.get(i).equals(executorId)) {
                partitions.add(launched.get(i));
            }
        }
        return partitions;
    }

    /** The executors map-stage tasks went to. */
    synchronized Set<String> executors() {
        return Set.copyOf(executors);
    }
}
