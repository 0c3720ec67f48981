package io.ember.core.worker.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.web.WebRequest;
import io.ember.core.web.WebResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor log route on real files: how much of a file it serves, and what it refuses. */
final class ExecutorLogsTest {

    @TempDir
    Path dir;

    /** A worker that launched one executor, 7 of app-1, whose stdout is {@code file}. */
    private ExecutorLogs logsOf(Path file) {
        return new ExecutorLogs(new WorkerStatusSource() {
            @Override
            public WorkerStatus status() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Path> logFile(String appId, String executorId, String stream) {
                return appId.equals("app-1") && executorId.equals("7") && stream.equals("stdout") ? Optional.of(file)
                        : Optional.empty();
            }
        });
    }

    private static WebRequest request(String appId, String executorId, String stream, String... bytes) {
        return new WebRequest("/logs/" + appId + "/" + executorId + "/" + stream,
                Map.of("appId", appId, "executorId", executorId, "stream", stream),
                bytes.length == 0 ? Map.of() : Map.of("bytes", List.of(bytes)), Map.of());
    }

    @Test
    void servesTheLast64KibOfALongerFileByDefault() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        Path file = Files.write(dir.resolve("stdout"), content);

        WebResponse answer = logsOf(file).serve(request("app-1", "7", "stdout"));

        assertEquals(200, answer.status());
        assertEquals("text/plain; charset=utf-8", answer.contentType());
        assertArrayEquals(Arrays.copyOfRange(content, content.length - ExecutorLogs.DEFAULT_BYTES, content.length),
                answer.body());
    }

    @Test
    void servesAsManyBytesAsAskedOrTheWholeShorterFile() throws Exception {
        Path file = Files.writeString(dir.resolve("stdout"), "line one\nline two\n");

        assertEquals("two\n", new String(logsOf(file).serve(request("app-1", "7", "stdout", "4")).body(), UTF_8));
        assertEquals("line one\nline two\n",
                new String(logsOf(file).serve(request("app-1", "7", "stdout", "10485760")).body(), UTF_8));
    }

    @Test
    void refusesABadByteCountWith400NamingTheRange() throws Exception {
        Path file = Files.writeString(dir.resolve("stdout"), "x");

        for (String bad : List.of("0", "-1", "ten", "10485761", "99999999999999999999")) {
            WebResponse answer = logsOf(file).serve(request("app-1", "7", "stdout", bad));
            assertEquals(400, answer.status(), bad);
            assertEquals("bytes must be a whole number from 1 to 10485760: '" + bad + "'\n",
                    new String(answer.body(), UTF_8));
        }
    }

    @Test
    void anExecutorTheWorkerDidNotLaunchAnotherStreamOrADeletedFileIs404() throws Exception {
        Path file = dir.resolve("stdout");
        ExecutorLogs logs = logsOf(file);

        assertEquals(404, logs.serve(request("app-1", "8", "stdout")).status());
        assertEquals(404, logs.serve(request("app-2", "7", "stdout")).status());
        assertEquals(404, logs.serve(request("app-1", "7", "environ")).status());
        WebResponse deleted = logs.serve(request("app-1", "7", "stdout"));
        assertEquals(404, deleted.status());
        assertTrue(new String(deleted.body(), UTF_8).contains("deleted with its application's work directory"),
                new String(deleted.body(), UTF_8));
    }
}
