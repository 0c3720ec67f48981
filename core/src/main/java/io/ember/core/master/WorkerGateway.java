package io.ember.core.master;

import io.ember.api.cluster.WorkerInfo;
import java.util.concurrent.CompletionStage;

/**
 * How a leadership term commands workers, in the master's own types; the transport behind it
 * ({@link GrpcWorkerGateway}) is the only place that knows the wire. A gateway belongs to one term and
 * fences every command with its epoch.
 *
 * <p>Threading: called on the master's event loop; never blocks it. The returned stage completes on
 * any thread: normally when the worker took the command, exceptionally with a
 * {@link WorkerCommandException} whose message says in one line why it did not.
 */
interface WorkerGateway {

    /** Asks {@code worker} to start {@code executor} of {@code app}. */
    CompletionStage<Void> launchExecutor(WorkerInfo worker, ExecutorRecord executor, ApplicationDescription app);

    /** Asks {@code worker} to stop one executor of an application. */
    CompletionStage<Void> killExecutor(WorkerInfo worker, String appId, String executorId);

    /** Tells {@code worker} that an application ended: it stops its executors and deletes their files. */
    CompletionStage<Void> applicationFinished(WorkerInfo worker, String appId);
}
