package io.ember.core.scheduler;

import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.TaskDescription;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An executor for scheduler tests: records what the scheduler sends it and answers each launched
 * task with what its responder says, or holds it (responder returns null) until the test answers.
 */
final class FakeExecutor implements ExecutorHandle {

    private final String id;
    private final int cores;
    private final List<DriverMessage> received = new ArrayList<>();
    private final Map<Long, TaskDescription> held = new LinkedHashMap<>();
    private final List<TaskDescription> launched = new ArrayList<>();
    private volatile TaskScheduler scheduler;
    private volatile Function<TaskDescription, TaskUpdate> responder = task -> null;
    private int maxOutstanding;

    FakeExecutor(String id, int cores) {
        this.id = id;
        this.cores = cores;
    }

    FakeExecutor attach(TaskScheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    FakeExecutor respondWith(Function<TaskDescription, TaskUpdate> responder) {
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
    public synchronized void send(DriverMessage message) {
        received.add(message);
        if (message.hasLaunchTasks()) {
            List<TaskUpdate> answers = new ArrayList<>();
            for (TaskDescription task : message.getLaunchTasks().getTasksList()) {
                launched.add(task);
                TaskUpdate answer = responder.apply(task);
                if (answer == null) {
                    held.put(task.getTaskId(), task);
                } else {
                    answers.add(answer);
                }
            }
            maxOutstanding = Math.max(maxOutstanding, held.size());
            if (!answers.isEmpty()) {
                scheduler.onMessage(id, ExecutorMessage.newBuilder()
                        .setTaskUpdates(TaskUpdates.newBuilder().addAllUpdates(answers)).build());
            }
        }
    }

    /** Answers every held task with the responder now set. */
    synchronized void answerHeld() {
        List<TaskDescription> tasks = new ArrayList<>(held.values());
        held.clear();
        for (TaskDescription task : tasks) {
            TaskUpdate answer = responder.apply(task);
            if (answer == null) {
                held.put(task.getTaskId(), task);
            } else {
                scheduler.onMessage(id, ExecutorMessage.newBuilder()
                        .setTaskUpdates(TaskUpdates.newBuilder().addUpdates(answer)).build());
            }
        }
    }

    /** Answers the held tasks {@code which} selects with the responder now set. */
    synchronized void answerHeld(java.util.function.Predicate<TaskDescription> which) {
        answerHeld(which, responder);
    }

    /** Answers the held tasks {@code which} selects with {@code answerer} (a null answer keeps a task held). */
    synchronized void answerHeld(java.util.function.Predicate<TaskDescription> which,
                                 Function<TaskDescription, TaskUpdate> answerer) {
        List<TaskDescription> tasks = held.values().stream().filter(which).toList();
        for (TaskDescription task : tasks) {
            TaskUpdate answer = answerer.apply(task);
            if (answer != null) {
                held.remove(task.getTaskId());
                scheduler.onMessage(id, ExecutorMessage.newBuilder()
                        .setTaskUpdates(TaskUpdates.newBuilder().addUpdates(answer)).build());
            }
        }
    }

    synchronized List<DriverMessage> received() {
        return List.copyOf(received);
    }

    synchronized List<TaskDescription> launched() {
        return List.copyOf(launched);
    }

    synchronized List<TaskDescription> held() {
        return List.copyOf(held.values());
    }

    synchronized int maxOutstanding() {
        return maxOutstanding;
    }
}
