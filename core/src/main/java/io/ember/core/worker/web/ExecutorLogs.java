package io.ember.core.worker.web;

import static java.util.Objects.requireNonNull;

import io.ember.core.web.WebRequest;
import io.ember.core.web.WebResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code /logs/{appId}/{executorId}/{stdout|stderr}}: the end of an executor's output file, as
 * plain text: the last {@value #DEFAULT_BYTES} bytes, or {@code ?bytes=N} of them up to
 * {@value #MAX_BYTES}. Only for an executor this worker launched: the file is looked up in the
 * worker's records ({@link WorkerStatusSource#logFile}), never built from the request, so nothing
 * else on the host can be read through it; anything else is 404.
 *
 * <p>Thread-safe.
 */
final class ExecutorLogs {

    static final int DEFAULT_BYTES = 64 * 1024;
    static final int MAX_BYTES = 10 * 1024 * 1024;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final WorkerStatusSource source;

    ExecutorLogs(WorkerStatusSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    WebResponse serve(WebRequest request) throws IOException {
        String appId = request.parameter("appId");
        String executorId = request.parameter("executorId");
        String stream = request.parameter("stream");
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return WebResponse.text(404, "No such log: " + stream + " (an executor has stdout and stderr)\n");
        }
        int bytes;
        try {
            bytes = requestedBytes(request);
        } catch (IllegalArgumentException e) {
            return WebResponse.text(400, e.getMessage() + "\n");
        }
        Optional<Path> file = source.logFile(appId, executorId, stream);
        if (file.isEmpty()) {
            return WebResponse.text(404, "This worker has no " + stream + " of executor " + executorId
                    + " of application " + appId + ": it did not launch it, no longer remembers it, or its process"
                    + " never started\n");
        }
        try {
            return new WebResponse(200, TEXT, tail(file.get(), bytes));
        } catch (NoSuchFileException e) {
            return WebResponse.text(404, "The " + stream + " of executor " + executorId + " of application " + appId
                    + " is gone: it was deleted with its application's work directory\n");
        }
    }

    private static int requestedBytes(WebRequest request) {
        Optional<String> given = request.queryValue("bytes");
        if (given.isEmpty()) {
            return DEFAULT_BYTES;
        }
        String text = given.get().strip();
        long value;
        try {
            value = text.length() > 9 ? Long.MAX_VALUE : Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > MAX_BYTES) {
            throw new IllegalArgumentException("bytes must be a whole number from 1 to " + MAX_BYTES + ": '"
                    + given.get() + "'");
        }
        return (int) value;
    }

    /** The last {@code bytes} bytes of {@code file} (all of it when shorter). */
    static byte[] tail(Path file, int bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(0, size - bytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    break;   // the file shrank meanwhile
                }
            }
            byte[] content = new byte[buffer.position()];
            buffer.flip().get(content);
            return content;
        }
    }
}
