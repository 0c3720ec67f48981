package io.ember.core.rpc;

import io.ember.api.cluster.WorkerInfo;
import io.ember.core.rpc.proto.WorkerSpec;

/**
 * A worker's description on the wire and in its ZooKeeper record ({@code WorkerSpec}), converted to
 * and from the API's {@link WorkerInfo}, which the master and the worker share.
 */
public final class WorkerSpecs {

    private WorkerSpecs() {
    }

    public static WorkerInfo info(WorkerSpec spec) {
        return new WorkerInfo(spec.getWorkerId(), spec.getHost(), spec.getRpcPort(), spec.getShufflePort(),
                spec.getCores(), spec.getMemoryBytes());
    }

    public static WorkerSpec spec(WorkerInfo info) {
        return WorkerSpec.newBuilder()
                .setWorkerId(info.workerId())
                .setHost(info.host())
                .setRpcPort(info.rpcPort())
                .setShufflePort(info.shufflePort())
                .setCores(info.cores())
                .setMemoryBytes(info.memoryBytes())
                .build();
    }
}
