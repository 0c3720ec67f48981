package io.ember.core.master;

import io.ember.api.cluster.WorkerInfo;
import io.ember.api.scheduler.GroupStatus;
import io.ember.core.rpc.WorkerSpecs;
import io.ember.core.rpc.proto.ApplicationEvent;
import io.ember.core.rpc.proto.ApplicationFailed;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ApplicationWaiting;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.ExecutorFailed;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.OutputTail;
import io.ember.core.rpc.proto.QueueStatus;
import io.ember.core.rpc.proto.WorkerSpec;
import java.util.List;

/**
 * Converts between the master's own types and the protobuf messages of {@code control.proto} that
 * the master's adapters exchange: {@link MasterRpc} (requests in, answers out), {@link GrpcWorkerGateway}
 * (commands to workers) and {@link ZooKeeperRecords} (the stored records). Nothing else in the master
 * sees a message.
 */
final class MasterMessages {

    private MasterMessages() {
    }

    static WorkerInfo worker(WorkerSpec spec) {
        return WorkerSpecs.info(spec);
    }

    static WorkerSpec worker(WorkerInfo info) {
        return WorkerSpecs.spec(info);
    }

    static WorkerRegistration registration(WorkerSpec spec, List<ExecutorState> executors, String uiUrl) {
        return new WorkerRegistration(worker(spec), executors.stream().map(MasterMessages::report).toList(), uiUrl);
    }

    static ApplicationDescription application(ApplicationSpec spec) {
        return new ApplicationDescription(spec.getAppId(), spec.getName(), spec.getQueue(), spec.getCoresPerExecutor(),
                spec.getMemoryPerExecutorBytes(), spec.getDriverAddress(), spec.getExecutorSettingsMap(),
                spec.getMaxLaunchFailures(), spec.getMaxExecutorFailures(), spec.getUiUrl());
    }

    static ApplicationSpec application(ApplicationDescription app) {
        return ApplicationSpec.newBuilder()
                .setAppId(app.appId())
                .setName(app.name())
                .setQueue(app.queue())
                .setCoresPerExecutor(app.coresPerExecutor())
                .setMemoryPerExecutorBytes(app.memoryPerExecutorBytes())
                .setDriverAddress(app.driverAddress())
                .putAllExecutorSettings(app.executorSettings())
                .setMaxLaunchFailures(app.maxLaunchFailures())
                .setMaxExecutorFailures(app.maxExecutorFailures())
                .setUiUrl(app.uiUrl())
                .build();
    }

    static ExecutorRecord executor(ExecutorSpec spec) {
        return new ExecutorRecord(spec.getAppId(), spec.getExecutorId(), spec.getWorkerId(), spec.getCores(),
                spec.getMemoryBytes());
    }

    static ExecutorSpec executor(ExecutorRecord executor, String driverAddress) {
        return ExecutorSpec.newBuilder()
                .setAppId(executor.appId())
                .setExecutorId(executor.executorId())
                .setWorkerId(executor.workerId())
                .setCores(executor.cores())
                .setMemoryBytes(executor.memoryBytes())
                .setDriverAddress(driverAddress)
                .build();
    }

    static ExecutorReport report(ExecutorState state) {
        return new ExecutorReport(executor(state.getSpec()), status(state.getStatus()), state.getExitCode(),
                state.getMessage(), output(state.getOutput()));
    }

    static ExecutorOutput output(OutputTail tail) {
        return tail.getLinesCount() == 0 ? ExecutorOutput.NONE
                : new ExecutorOutput(tail.getStream().isEmpty() ? "stderr" : tail.getStream(), tail.getLinesList());
    }

    static OutputTail output(ExecutorOutput output) {
        return OutputTail.newBuilder().setStream(output.stream()).addAllLines(output.lines()).build();
    }

    /** A notice for an application's driver, as its {@code WatchApplication} stream carries it. */
    static ApplicationEvent event(long epoch, ApplicationNotice notice) {
        ApplicationEvent.Builder event = ApplicationEvent.newBuilder().setEpoch(epoch);
        if (notice instanceof ApplicationNotice.ExecutorFailed failed) {
            event.setExecutorFailed(ExecutorFailed.newBuilder()
                    .setExecutorId(failed.executorId())
                    .setWorkerId(failed.workerId())
                    .setExitCode(failed.exitCode())
                    .setBeforeRegistering(failed.beforeRegistering())
                    .setOutput(output(failed.output())));
        } else if (notice instanceof ApplicationNotice.Waiting waiting) {
            event.setWaiting(ApplicationWaiting.newBuilder().setReason(waiting.reason()));
        } else if (notice instanceof ApplicationNotice.Failed failure) {
            event.setFailed(ApplicationFailed.newBuilder().setReason(failure.reason()));
        } else {
            throw new IllegalArgumentException("unknown notice " + notice);
        }
        return event.build();
    }

    private static ExecutorReport.Status status(ExecutorStatus status) {
        return switch (status) {
            case LAUNCHING -> ExecutorReport.Status.LAUNCHING;
            case RUNNING -> ExecutorReport.Status.RUNNING;
            case EXITED -> ExecutorReport.Status.EXITED;
            case FAILED -> ExecutorReport.Status.FAILED;
            case KILLED -> ExecutorReport.Status.KILLED;
            case LOST -> ExecutorReport.Status.LOST;
            case EXECUTOR_STATUS_UNSPECIFIED, UNRECOGNIZED -> ExecutorReport.Status.UNSPECIFIED;
        };
    }

    /** The cluster as {@code DescribeCluster} answers it; executors are listed as running. */
    static ClusterDescription description(String masterId, ClusterOverview overview) {
        ClusterDescription.Builder description = ClusterDescription.newBuilder()
                .setMasterId(masterId)
                .setEpoch(overview.epoch());
        for (ClusterOverview.Worker worker : overview.workers()) {
            description.addWorkers(worker(worker.info()));
        }
        for (ClusterOverview.Application app : overview.applications()) {
            app.description().ifPresent(spec -> description.addApplications(application(spec)));
            description.putRequestedExecutors(app.appId(), app.requestedExecutors());
            String driverAddress = app.description().map(ApplicationDescription::driverAddress).orElse("");
            for (ExecutorRecord executor : app.executors()) {
                description.addExecutors(ExecutorState.newBuilder()
                        .setSpec(executor(executor, driverAddress))
                        .setStatus(ExecutorStatus.RUNNING));
            }
        }
        for (GroupStatus queue : overview.queues()) {
            description.addQueues(queue(queue));
        }
        return description.build();
    }

    /** A queue's status for the wire; an unbounded maxShare ({@link Integer#MAX_VALUE}) is left absent. */
    static QueueStatus queue(GroupStatus queue) {
        QueueStatus.Builder status = QueueStatus.newBuilder()
                .setName(queue.name())
                .setMode(queue.mode())
                .setWeight(queue.weight())
                .setMinShare(queue.minShare())
                .setRunning(queue.running())
                .setPending(queue.pending())
                .setApplications(queue.items());
        if (queue.maxShare() != Integer.MAX_VALUE) {
            status.setMaxShare(queue.maxShare());
        }
        return status.build();
    }
}
