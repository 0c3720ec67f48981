package io.ember.core.rpc;

import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.DriverServiceGrpc;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.Registered;
import io.grpc.stub.StreamObserver;

/** A driver that answers an executor's registration on its stream and ends the stream when the executor does. */
final class TestingDriverService extends DriverServiceGrpc.DriverServiceImplBase {

    @Override
    public StreamObserver<ExecutorMessage> connect(StreamObserver<DriverMessage> toExecutor) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ExecutorMessage message) {
                if (message.hasRegister()) {
                    toExecutor.onNext(DriverMessage.newBuilder()
                            .setRegistered(Registered.newBuilder().setAppId("app-1").setHeartbeatIntervalMillis(1000))
                            .build());
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                toExecutor.onCompleted();
            }
        };
    }
}
