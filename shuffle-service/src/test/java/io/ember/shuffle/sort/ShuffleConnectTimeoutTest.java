package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.ShuffleBlockId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A shuffle server whose host answers nothing (down, or cut off from the network): a fetch from it
 * fails after the connect timeout, as a fetch failure, and is not tried again on that host.
 */
final class ShuffleConnectTimeoutTest {

    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(0, 0, 0);

    @Test
    void aFetchFromAHostThatAnswersNothingFailsAfterTheConnectTimeoutWithoutRetrying() throws Exception {
        List<Socket> queued = new ArrayList<>();
        // A server that never accepts, its accept queue full: Linux drops further connection
        // attempts unanswered, as a host that is cut off does.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fillAcceptQueue(silent, queued);
            // A retry would come a minute later: the outcome within the deadline below proves there was none.
            try (ShuffleClient client = new ShuffleClient(Optional.empty(), Duration.ofMinutes(2),
                    Duration.ofMillis(300), new long[] {60_000, 60_000})) {
                TestingFetch.Pending pending = TestingFetch.start(client, silent.getLocalPort(), "app", "exec-1",
                        BLOCK);
                Map<ShuffleBlockId, Object> outcomes = pending.done().get(30, TimeUnit.SECONDS);
                String reason = assertInstanceOf(String.class, outcomes.get(BLOCK));
                assertTrue(reason.contains("cannot connect to 127.0.0.1:" + silent.getLocalPort()
                        + ": no answer within 300 ms"), reason);
            }
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void theConnectTimeoutMustBePositive() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ShuffleClient(Optional.empty(), Duration.ofMinutes(2), bad, new long[0]));
            assertTrue(e.getMessage().startsWith("connectTimeout must be > 0"), e.getMessage());
        }
    }

    /** Connects until an attempt goes unanswered; at most a few, so a kernel that answers fails the test clearly. */
    private static void fillAcceptQueue(ServerSocket server, List<Socket> queued) throws IOException {
        for (int attempt = 0; attempt < 16; attempt++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
                queued.add(socket);
            } catch (SocketTimeoutException unanswered) {
                socket.close();
                return;
            }
        }
        assertEquals(0, queued.size(), "the kernel kept accepting connections into a full accept queue");
    }
}
