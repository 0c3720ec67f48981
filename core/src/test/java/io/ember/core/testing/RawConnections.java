package io.ember.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain TCP connections to a server that speaks first (an HTTP/2 server sends its settings frame),
 * as a stranger opens them: to check whether the server admits or closes them. Closes every
 * connection it opened.
 */
public final class RawConnections implements AutoCloseable {

    /** How long a read waits: a server that never closes fails the test instead of hanging it. */
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final List<Socket> sockets = new ArrayList<>();

    /** Opens a connection to 127.0.0.1:{@code port}. */
    public Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** An admitted connection hears the server's first bytes (an HTTP/2 server's settings frame). */
    public static void assertAdmitted(Socket socket) throws IOException {
        assertTrue(socket.getInputStream().read() >= 0, "the server greeted the connection");
    }

    /** Reads until the server closes the connection; fails when it keeps it open past the read timeout. */
    public static void assertClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // what the server sent before closing (its settings, a GOAWAY)
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
