package io.ember.core.worker;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.rpc.WorkerSpecs;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.ExecutorStatus;
import io.ember.core.rpc.proto.OutputTail;
import io.ember.core.rpc.proto.RegisterWorkerRequest;
import io.ember.core.rpc.proto.WorkerSpec;

/**
 * Converts between the worker's own types and the protobuf messages of {@code control.proto} that
 * the worker's adapters exchange: {@link WorkerRpc} (the leader's commands in),
 * {@link GrpcLeaderGateway} (registration and reports out) and {@link WorkerNode} (the worker's
 * record in ZooKeeper). Nothing else in the worker sees a message.
 */
final class WorkerMessages {

    private WorkerMessages() {
    }

    static WorkerSpec worker(WorkerInfo info) {
        return WorkerSpecs.spec(info);
    }

    static ExecutorAssignment executor(ExecutorSpec spec) {
        return new ExecutorAssignment(spec.getAppId(), spec.getExecutorId(), spec.getWorkerId(), spec.getCores(),
                spec.getMemoryBytes(), spec.getDriverAddress());
    }

    static ExecutorSpec executor(ExecutorAssignment executor) {
        return ExecutorSpec.newBuilder()
                .setAppId(executor.appId())
                .setExecutorId(executor.executorId())
                .setWorkerId(executor.workerId())
                .setCores(executor.cores())
                .setMemoryBytes(executor.memoryBytes())
                .setDriverAddress(executor.driverAddress())
                .build();
    }

    /** What the worker reads of an application; its id, name and queue are the master's business. */
    static ApplicationSettings application(ApplicationSpec spec) {
        return new ApplicationSettings(spec.getCoresPerExecutor(), spec.getMemoryPerExecutorBytes(),
                spec.getDriverAddress(), spec.getExecutorSettingsMap());
    }

    static ExecutorState state(ExecutorReport report) {
        ExecutorState.Builder state = ExecutorState.newBuilder()
                .setSpec(executor(report.executor()))
                .setStatus(status(report.status()))
                .setExitCode(report.exitCode())
                .setMessage(report.message())
                .setPid(report.pid());
        if (!report.output().lines().isEmpty()) {
            state.setOutput(output(report.output()));
        }
        return state.build();
    }

    static OutputTail output(ExecutorOutput output) {
        return OutputTail.newBuilder().setStream(output.stream()).addAllLines(output.lines()).build();
    }

    static ExecutorStatus status(ExecutorReport.Status status) {
        return switch (status) {
            case LAUNCHING -> ExecutorStatus.LAUNCHING;
            case RUNNING -> ExecutorStatus.RUNNING;
            case EXITED -> ExecutorStatus.EXITED;
            case FAILED -> ExecutorStatus.FAILED;
            case KILLED -> ExecutorStatus.KILLED;
        };
    }

    static RegisterWorkerRequest registration(WorkerRegistration registration) {
        RegisterWorkerRequest.Builder request = RegisterWorkerRequest.newBuilder()
                .setWorker(worker(registration.worker()))
                .setUiUrl(registration.uiUrl());
        for (ExecutorReport executor : registration.executors()) {
            request.addExecutors(state(executor));
        }
        return request.build();
    }
}
