package io.ember.core.rpc;

import io.ember.core.rpc.proto.Ack;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A master that describes a fixed cluster, and whose RequestTotalExecutors blocks until
 * {@link #release()}. Records the names of the threads its handlers ran on.
 */
final class TestingMasterService extends MasterServiceGrpc.MasterServiceImplBase {

    static final ClusterDescription CLUSTER = ClusterDescription.newBuilder().setMasterId("master-1").setEpoch(7).build();

    final CountDownLatch blockedCallEntered = new CountDownLatch(1);
    final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void describeCluster(DescribeClusterRequest request, StreamObserver<ClusterDescription> response) {
        handlerThreads.add(Thread.currentThread().getName());
        response.onNext(CLUSTER);
        response.onCompleted();
    }

    @Override
    public void requestTotalExecutors(RequestTotalExecutorsRequest request, StreamObserver<Ack> response) {
        blockedCallEntered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        response.onNext(Ack.getDefaultInstance());
        response.onCompleted();
    }

    void release() {
        release.countDown();
    }
}
