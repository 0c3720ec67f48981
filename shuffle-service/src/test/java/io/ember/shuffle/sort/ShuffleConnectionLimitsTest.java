package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.ShuffleBlockId;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A shuffle server holds its connections to its {@link ConnectionLimits}: real servers on
 * 127.0.0.1, real sockets that misbehave, and real clients that must still be served.
 */
@Timeout(60)
final class ShuffleConnectionLimitsTest {

    private static final String APP = "app-20261126-0001";
    private static final String EXECUTOR = "exec-1";
    private static final String SECRET = "s3cret-of-this-test";
    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(3, 7, 1);
    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path temp;

    private final List<Socket> sockets = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger serverLogger = (Logger) LoggerFactory.getLogger(ShuffleServer.class.getPackageName());

    @BeforeEach
    void captureTheServersLog() {
        log.start();
        serverLogger.addAppender(log);
    }

    @AfterEach
    void closeSockets() throws IOException {
        serverLogger.detachAppender(log);
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void refusesConnectionsBeyondItsLimitWithOneWarningLine() throws IOException {
        try (ShuffleServer service = start(Optional.empty(), new ConnectionLimits(3, LONG, LONG))) {
            for (int i = 0; i < 3; i++) {
                assertGreeted(connect(service));
            }
            for (int i = 0; i < 20; i++) {
                assertClosedWithoutAWord(connect(service));
            }
            assertEquals(20, service.gate().counts().refused());
            assertEquals(3, service.gate().open());
            // the line is written on the server's event loop, right after it counted the connection
            Await.until("the warning " + "at its limit of 3 connections", () -> !warnings("at its limit of 3 connections").isEmpty());
            List<String> lines = warnings("at its limit of 3 connections");
            assertEquals(1, lines.size(), "one line for 20 refusals: " + lines);
            assertTrue(lines.get(0).contains("ember.shuffle.service.maxConnections"), lines.get(0));

            sockets.get(0).close();
            Await.until("the server forgets a connection its client closed", () -> service.gate().open() == 2);
            assertGreeted(connect(service));
        }
    }

    @Test
    void withASecretANewConnectionTakesThePlaceOfTheOldestThatHasNotAuthenticated() throws IOException {
        try (ShuffleServer service = start(Optional.of(SECRET), new ConnectionLimits(3, LONG, LONG));
             ShuffleClient client = new ShuffleClient(Optional.of(SECRET))) {
            ShuffleFiles files = registeredExecutor(client, service);
            Socket first = connect(service);
            assertGreeted(first);
            Socket second = connect(service);
            assertGreeted(second);
            assertEquals(3, service.gate().open(), "full: the client and two strangers");

            Socket third = connect(service);
            assertGreeted(third);
            assertClosedWithoutAWord(first);
            try (ShuffleClient another = new ShuffleClient(Optional.of(SECRET))) {
                assertServes(another, service, files);
            }
            assertClosedWithoutAWord(second);
            assertServes(client, service, files);
            assertEquals(2, service.gate().counts().evicted());
            assertEquals(0, service.gate().counts().refused());
        }
    }

    @Test
    void closesAConnectionThatDoesNotAuthenticateInTime() throws IOException {
        try (ShuffleServer service = start(Optional.of(SECRET), new ConnectionLimits(10, Duration.ofMillis(300), LONG));
             ShuffleClient client = new ShuffleClient(Optional.of(SECRET))) {
            ShuffleFiles files = registeredExecutor(client, service);
            Socket silent = connect(service);
            assertGreeted(silent);
            assertClosedWithoutAWord(silent);
            // At least: in a cold JVM the client's own first answer may take longer than 300 ms (it then retries).
            assertTrue(service.gate().counts().expired() >= 1, service.gate().counts().toString());
            // the line is written on the server's event loop, right after it counted the connection
            Await.until("the warning " + "did not authenticate within 300 ms", () -> !warnings("did not authenticate within 300 ms").isEmpty());
            List<String> lines = warnings("did not authenticate within 300 ms");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("ember.shuffle.service.authTimeout"), lines.get(0));
            assertServes(client, service, files);
        }
    }

    @Test
    void closesAnIdleConnectionAndItsClientReconnects() throws IOException {
        try (ShuffleServer service = start(Optional.of(SECRET), new ConnectionLimits(10, LONG, Duration.ofMillis(300)));
             ShuffleClient client = new ShuffleClient(Optional.of(SECRET))) {
            ShuffleFiles files = registeredExecutor(client, service);
            Await.until("the client's idle connection is closed", () -> service.gate().open() == 0);
            assertServes(client, service, files);
        }
    }

    @Test
    void refusesALargeFrameFromAConnectionThatHasNotAuthenticatedBeforeItArrives() throws IOException {
        try (ShuffleServer service = start(Optional.of(SECRET), new ConnectionLimits(10, LONG, LONG))) {
            Socket socket = connect(service);
            assertGreeted(socket);
            // A length the authenticated may send (under 1 MiB); the body never comes.
            socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(1_000_000).array());
            assertClosedWithoutAWord(socket);
            // the line is written on the server's event loop, right after it counted the connection
            Await.until("the warning " + "before the connection authenticated", () -> !warnings("before the connection authenticated").isEmpty());
            List<String> lines = warnings("before the connection authenticated");
            assertEquals(1, lines.size(), lines.toString());
        }
    }

    @Test
    void aRequestRefusedAtTheLimitIsSentAgainAndServedOnceASlotIsFree() throws IOException {
        try (ShuffleServer service = start(Optional.empty(), new ConnectionLimits(2, LONG, LONG));
             ShuffleClient client = new ShuffleClient(Optional.empty());
             ShuffleClient another = new ShuffleClient(Optional.empty())) {
            ShuffleFiles files = registeredExecutor(client, service);
            Socket squatter = connect(service);
            assertGreeted(squatter);

            TestingFetch.Pending fetch = TestingFetch.start(another, service.port(), APP, EXECUTOR, BLOCK);
            Await.until("the other client's first attempt is refused", () -> service.gate().counts().refused() >= 1);
            squatter.close();
            Object outcome = fetch.outcomes().get(BLOCK);
            assertTrue(outcome instanceof FetchedBlock, "served on a later attempt: " + outcome);
            assertArrayEquals(ResolvedBlock.resolve(files, BLOCK).readAll(), ((FetchedBlock) outcome).data());
        }
    }

    private ShuffleServer start(Optional<String> secret, ConnectionLimits limits) {
        return ShuffleServer.startService("127.0.0.1", 0, temp.resolve("state"), secret, limits);
    }

    private ShuffleFiles registeredExecutor(ShuffleClient client, ShuffleServer service) throws IOException {
        List<Path> dirs = client.register("127.0.0.1", service.port(), APP, EXECUTOR, 1).join();
        ShuffleFiles files = new ShuffleFiles(dirs);
        TestingMapOutput.write(files, 3, 7, TestingMapOutput.blocks(9, 2, 1_000));
        return files;
    }

    private static void assertServes(ShuffleClient client, ShuffleServer service, ShuffleFiles files)
            throws IOException {
        assertArrayEquals(ResolvedBlock.resolve(files, BLOCK).readAll(),
                TestingFetch.fetchBytes(client, service.port(), APP, EXECUTOR, BLOCK));
    }

    private Socket connect(ShuffleServer service) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", service.port()));
        socket.setSoTimeout(20_000);   // a server that never closes fails the test instead of hanging it
        return socket;
    }

    /** Reads the server's hello: the connection was admitted. */
    private static void assertGreeted(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readInt();
        assertTrue(length > 0 && length < 100, "a hello frame: " + length);
        in.readNBytes(length);
    }

    /** Reads until the server closes the connection; nothing (more) may come before. */
    private static void assertClosedWithoutAWord(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "the server closed the connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    /** The WARN lines so far that hold {@code containing}; the appender adds under its own lock. */
    private List<String> warnings(String containing) {
        List<ILoggingEvent> events;
        synchronized (log) {
            events = List.copyOf(log.list);
        }
        return events.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains(containing)).toList();
    }
}
