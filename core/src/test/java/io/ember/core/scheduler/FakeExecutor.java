package io.ember.core.scheduler;

import io.ember.api.shuffle.BlockLocation;
import io.ember.core.job.StageId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An executor for scheduler tests, behind the scheduler's {@link ExecutorGateway}: records what the
 * scheduler sends it and answers each launched task with what its responder says, or holds it
 * (responder returns null) until the test answers.
 */
final class FakeExecutor implements ExecutorGateway {

    /** Something the scheduler sent through the gateway. */
    sealed interface Sent permits Launch, Kill, Forget, Drop, RemoveShuffle {
    }

    /** One batch of launches. */
    record Launch(List<StageShipment> stages, List<TaskLaunch> tasks) implements Sent {
    }

    record Kill(long taskId, String reason) implements Sent {
    }

    record Forget(List<StageId> stageIds) implements Sent {
    }

    record Drop(int datasetId) implements Sent {
    }

    record RemoveShuffle(int shuffleId, List<BlockLocation> services) implements Sent {
    }

    private final String id;
    private final int cores;
    private final List<Sent> received = new ArrayList<>();
    private final Map<Long, TaskLaunch> held = new LinkedHashMap<>();
    private final List<TaskLaunch> launched = new ArrayList<>();
    private volatile TaskScheduler scheduler;
    private volatile Function<TaskLaunch, TaskOutcome> responder = task -> null;
    private int maxOutstanding;

    FakeExecutor(String id, int cores) {
        this.id = id;
        this.cores = cores;
    }

    FakeExecutor attach(TaskScheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    FakeExecutor respondWith(Function<TaskLaunch, TaskOutcome> responder) {
        this.responder = responder;
        return this;
    }

    @Override
    public String executorId() {
        return id;
    }

    @Override
    public String host() {
        return "test-host";
    }

    @Override
    public int cores() {
        return cores;
    }

    @Override
    public synchronized void launch(List<StageShipment> stages, List<TaskLaunch> tasks) {
        received.add(new Launch(List.copyOf(stages), List.copyOf(tasks)));
        List<TaskOutcome> answers = new ArrayList<>();
        for (TaskLaunch task : tasks) {
            launched.add(task);
            TaskOutcome answer = responder.apply(task);
            if (answer == null) {
                held.put(task.taskId(), task);
            } else {
                answers.add(answer);
            }
        }
        maxOutstanding = Math.max(maxOutstanding, held.size());
        if (!answers.isEmpty()) {
            scheduler.tasksEnded(id, answers);
        }
    }

    @Override
    public synchronized void kill(long taskId, String reason) {
        received.add(new Kill(taskId, reason));
    }

    @Override
    public synchronized void forgetStages(List<StageId> stageIds) {
        received.add(new Forget(List.copyOf(stageIds)));
    }

    @Override
    public synchronized void dropBlocks(int datasetId) {
        received.add(new Drop(datasetId));
    }

    @Override
    public synchronized void removeShuffle(int shuffleId, List<BlockLocation> services) {
        received.add(new RemoveShuffle(shuffleId, services));
    }

    /** Answers every held task with the responder now set. */
    synchronized void answerHeld() {
        List<TaskLaunch> tasks = new ArrayList<>(held.values());
        held.clear();
        for (TaskLaunch task : tasks) {
            TaskOutcome answer = responder.apply(task);
            if (answer == null) {
                held.put(task.taskId(), task);
            } else {
                scheduler.tasksEnded(id, List.of(answer));
            }
        }
    }

    /** Answers the held tasks {@code which} selects with the responder now set. */
    synchronized void answerHeld(Predicate<TaskLaunch> which) {
        answerHeld(which, responder);
    }

    /** Answers the held tasks {@code which} selects with {@code answerer} (a null answer keeps a task held). */
    synchronized void answerHeld(Predicate<TaskLaunch> which, Function<TaskLaunch, TaskOutcome> answerer) {
        List<TaskLaunch> tasks = held.values().stream().filter(which).toList();
        for (TaskLaunch task : tasks) {
            TaskOutcome answer = answerer.apply(task);
            if (answer != null) {
                held.remove(task.taskId());
                scheduler.tasksEnded(id, List.of(answer));
            }
        }
    }

    synchronized List<Sent> received() {
        return List.copyOf(received);
    }

    /** The batches of launches received, in order. */
    synchronized List<Launch> launches() {
        return received.stream().filter(Launch.class::isInstance).map(Launch.class::cast).toList();
    }

    synchronized List<TaskLaunch> launched() {
        return List.copyOf(launched);
    }

    synchronized List<TaskLaunch> held() {
        return List.copyOf(held.values());
    }

    synchronized int maxOutstanding() {
        return maxOutstanding;
    }
}
