package io.ember.core.driver.client;

import io.ember.core.rpc.proto.ApplicationEvent;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorFailed;
import io.ember.core.rpc.proto.KillExecutorsRequest;
import io.ember.core.rpc.proto.RegisterApplicationRequest;
import io.ember.core.rpc.proto.RegisterApplicationResponse;
import io.ember.core.rpc.proto.RequestTotalExecutorsRequest;
import io.ember.core.rpc.proto.UnregisterApplicationRequest;
import io.ember.core.rpc.proto.WatchApplicationRequest;
import java.util.List;
import java.util.Optional;

/**
 * Converts between the driver's own types and the {@code MasterService} messages of
 * {@code control.proto} that {@link MasterCalls} exchanges with the master. Nothing else in the
 * driver's side towards the master sees a message.
 */
final class ApplicationMessages {

    private ApplicationMessages() {
    }

    static ApplicationSpec application(ApplicationDescriptor app) {
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

    static RegisterApplicationRequest registration(ApplicationDescriptor app, int requestedExecutors,
                                                   long executorIdsFrom) {
        return RegisterApplicationRequest.newBuilder()
                .setApp(application(app))
                .setRequestedExecutors(requestedExecutors)
                .setExecutorIdsFrom(executorIdsFrom)
                .build();
    }

    static MasterGateway.Registered registered(RegisterApplicationResponse response) {
        return new MasterGateway.Registered(response.getAppId(), response.getEpoch());
    }

    static RequestTotalExecutorsRequest totalRequest(String appId, int total) {
        return RequestTotalExecutorsRequest.newBuilder().setAppId(appId).setTotal(total).build();
    }

    static KillExecutorsRequest killRequest(String appId, List<String> executorIds, int total) {
        return KillExecutorsRequest.newBuilder().setAppId(appId).addAllExecutorIds(executorIds).setTotal(total)
                .build();
    }

    static UnregisterApplicationRequest unregistration(String appId) {
        return UnregisterApplicationRequest.newBuilder().setAppId(appId).build();
    }

    static WatchApplicationRequest watch(String appId) {
        return WatchApplicationRequest.newBuilder().setAppId(appId).build();
    }

    /** An event of the watch in the driver's types; empty for a kind this driver does not know. */
    static Optional<WatchEvent> event(ApplicationEvent event) {
        return switch (event.getKindCase()) {
            case EXECUTOR_FAILED -> Optional.of(new WatchEvent.ExecutorFailed(
                    failure(event.getExecutorFailed())));
            case WAITING -> Optional.of(new WatchEvent.Waiting(
                    event.getWaiting().getReason()));
            case FAILED -> Optional.of(new WatchEvent.Failed(
                    event.getFailed().getReason()));
            case KIND_NOT_SET -> Optional.empty();
        };
    }

    static ExecutorFailure failure(ExecutorFailed failed) {
        String stream = failed.getOutput().getStream();
        return new ExecutorFailure(failed.getExecutorId(), failed.getWorkerId(), failed.getExitCode(),
                failed.getBeforeRegistering(), stream.isEmpty() ? "stderr" : stream, failed.getOutput().getLinesList());
    }
}
