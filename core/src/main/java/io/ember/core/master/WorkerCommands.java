package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.concurrent.EventLoop;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A term's commands to workers: sends each through the {@link WorkerGateway} without blocking the loop
 * and brings a failure back to the loop, where it is logged and handled, unless the term has ended by
 * then (a deposed term's commands cannot touch its successor's state).
 *
 * <p>Confined to the master's event loop.
 */
final class WorkerCommands {

    /** Logs as the term did before its parts were split out: operators and ExecutorStartTimeline know that name. */
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private static final Runnable NOTHING = () -> { };

    private final WorkerGateway gateway;
    private final EventLoop loop;
    private final BooleanSupplier ended;

    WorkerCommands(WorkerGateway gateway, EventLoop loop, BooleanSupplier ended) {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.loop = requireNonNull(loop, "loop is null");
        this.ended = requireNonNull(ended, "ended is null");
    }

    /**
     * Launches an executor; {@code onTaken} runs on the loop once the worker took it, {@code onFailure}
     * if it did not.
     */
    void launch(WorkerInfo worker, ExecutorRecord executor, ApplicationDescription app, Runnable onTaken,
                Runnable onFailure) {
        follow("launch executor " + executor.executorId() + " of " + executor.appId(),
                gateway.launchExecutor(worker, executor, app), onTaken, onFailure);
    }

    void kill(WorkerInfo worker, String appId, String executorId) {
        follow("kill executor " + executorId, gateway.killExecutor(worker, appId, executorId), NOTHING, NOTHING);
    }

    void applicationFinished(WorkerInfo worker, String appId) {
        follow("finish application " + appId, gateway.applicationFinished(worker, appId), NOTHING, NOTHING);
    }

    private void follow(String what, CompletionStage<Void> sent, Runnable onTaken, Runnable onFailure) {
        sent.whenComplete((taken, failure) -> {
            if (failure == null) {
                if (onTaken != NOTHING) {
                    loop.execute(() -> {
                        if (!ended.getAsBoolean()) {
                            onTaken.run();
                        }
                    });
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            loop.execute(() -> {
                if (ended.getAsBoolean()) {
                    return;
                }
                LOG.warn("Could not {}: {}", what, cause.getMessage());
                onFailure.run();
            });
        });
    }
}
