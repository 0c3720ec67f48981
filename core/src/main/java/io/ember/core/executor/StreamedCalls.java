package io.ember.core.executor;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A server-streaming call to the driver whose chunks of bytes are written out as they arrive: the
 * call runs in a cancellable context, so a caller that fails half-way (or a write that throws)
 * cancels it instead of leaving the driver streaming.
 */
final class StreamedCalls {

    private StreamedCalls() {
    }

    /**
     * Starts {@code call} and writes each chunk's {@code data} to {@code out}, blocking until the last.
     *
     * @throws Exception what the call or the writes throw ({@code io.grpc.StatusRuntimeException} for
     *     the call's status, {@code java.io.IOException} for the writes)
     */
    static <T> void copy(Callable<Iterator<T>> call, Function<T, ByteString> data, OutputStream out) throws Exception {
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            context.call(() -> {
                Iterator<T> chunks = call.call();
                while (chunks.hasNext()) {
                    data.apply(chunks.next()).writeTo(out);
                }
                return null;
            });
        } finally {
            context.cancel(null);
        }
    }
}
