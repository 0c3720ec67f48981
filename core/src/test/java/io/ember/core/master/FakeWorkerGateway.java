package io.ember.core.master;

import io.ember.api.cluster.WorkerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link WorkerGateway} that records the commands a term sends, and refuses launches when told to; no gRPC. */
final class FakeWorkerGateway implements WorkerGateway {

    record Launch(String workerId, ExecutorRecord executor, ApplicationDescription app) {
    }

    record Kill(String workerId, String appId, String executorId) {
    }

    record Finished(String workerId, String appId) {
    }

    final List<Launch> launches = new CopyOnWriteArrayList<>();
    final List<Kill> kills = new CopyOnWriteArrayList<>();
    final List<Finished> finished = new CopyOnWriteArrayList<>();
    private final AtomicInteger launchesToRefuse = new AtomicInteger();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    /** From now on launches are left unanswered (as by a worker that does not reply) until {@link #answerHeld}. */
    void holdLaunches() {
        holding = true;
    }

    /** Answers the oldest {@code count} held launches: the worker took them. */
    void answerHeld(int count) {
        for (int i = 0; i < count; i++) {
            held.remove(0).complete(null);
        }
    }

    /** The next {@code count} launches fail as if their worker could not be reached. */
    void refuseNextLaunches(int count) {
        launchesToRefuse.set(count);
    }

    @Override
    public CompletionStage<Void> launchExecutor(WorkerInfo worker, ExecutorRecord executor, ApplicationDescription app) {
        launches.add(new Launch(worker.workerId(), executor, app));
        if (launchesToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(
                    new WorkerCommandException("worker " + worker.workerId() + " is unreachable", null));
        }
        if (holding) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            held.add(answer);
            return answer;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> killExecutor(WorkerInfo worker, String appId, String executorId) {
        kills.add(new Kill(worker.workerId(), appId, executorId));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> applicationFinished(WorkerInfo worker, String appId) {
        finished.add(new Finished(worker.workerId(), appId));
        return CompletableFuture.completedFuture(null);
    }
}
