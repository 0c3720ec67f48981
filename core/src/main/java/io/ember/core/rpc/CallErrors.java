package io.ember.core.rpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the calls one RPC server ended with a status other than OK, by status code: those it
 * refused (not authenticated, not the leader, a malformed request) and those that failed or were
 * cancelled. The outermost interceptor of its server, so refusals by the others count too. For the
 * server's {@code /metrics}.
 *
 * <p>Thread-safe; counting costs one atomic increment per failed call and nothing per message.
 */
public final class CallErrors implements ServerInterceptor {

    private final AtomicLongArray counts = new AtomicLongArray(Status.Code.values().length);

    CallErrors() {
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (!status.isOk()) {
                    counts.incrementAndGet(status.getCode().ordinal());
                }
                super.close(status, trailers);
            }
        }, headers);
    }

    /**
     * The calls ended with each status code other than OK so far, by code name (e.g.
     * {@code UNAVAILABLE}); codes never seen are left out.
     */
    public Map<String, Long> byCode() {
        Map<String, Long> seen = new TreeMap<>();
        for (Status.Code code : Status.Code.values()) {
            long count = counts.get(code.ordinal());
            if (count > 0) {
                seen.put(code.name(), count);
            }
        }
        return seen;
    }
}
