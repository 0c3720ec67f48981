package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ember.api.shuffle.ConnectionLimits;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.shuffle.sort.ShuffleMessage.ApplicationRemoved;
import io.ember.shuffle.sort.ShuffleMessage.BlockError;
import io.ember.shuffle.sort.ShuffleMessage.BlockHeader;
import io.ember.shuffle.sort.ShuffleMessage.Error;
import io.ember.shuffle.sort.ShuffleMessage.FetchBlocks;
import io.ember.shuffle.sort.ShuffleMessage.Hello;
import io.ember.shuffle.sort.ShuffleMessage.Ok;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutor;
import io.ember.shuffle.sort.ShuffleMessage.RegisterExecutorDirs;
import io.ember.shuffle.sort.ShuffleMessage.Registered;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * The shuffle wire, fuzzed from both ends, over real sockets on 127.0.0.1.
 *
 * <p>Server side: random bytes, random frames of every type, well-formed messages truncated or
 * with a lying length, oversized and negative lengths, and messages only a server sends, each on a
 * connection of its own to one real {@link ShuffleServer}. Each gets replies or a closed connection
 * within a deadline (never a hung server); the server's WARN lines carry no stack trace and stay
 * rate-limited; nothing is logged as an error; and right after each, the server serves a
 * well-formed fetch byte-exact (its threads are alive).
 *
 * <p>Client side: a fake server on a plain socket answers a {@link ShuffleClient}'s fetch with
 * random bytes, truncated frames and block headers that declare lengths up to 2 GiB and send
 * little, then close or fall silent. Every requested block gets exactly one outcome within a
 * deadline (a failure with a message, or a block), and the decoder never holds much more than what
 * arrived.
 */
final class ShuffleWireFuzzTest {

    private static final String APP = "app-20261126-0001";
    private static final String EXECUTOR = "exec-1";
    private static final ShuffleBlockId BLOCK = new ShuffleBlockId(3, 7, 1);
    private static final int DEADLINE_MILLIS = 20_000;

    private static Path dir;
    private static ShuffleServer service;
    private static ShuffleClient client;
    private static ShuffleFiles files;
    private static byte[] expected;
    private static ListAppender<ILoggingEvent> log;
    private static Logger packageLogger;
    private static long startedNanos;

    @BeforeContainer
    static void startAServer() throws IOException {
        dir = Files.createTempDirectory("ember-shuffle-wire-fuzz-");
        log = new ListAppender<>();
        log.start();
        packageLogger = (Logger) LoggerFactory.getLogger(ShuffleServer.class.getPackageName());
        packageLogger.addAppender(log);
        service = ShuffleServer.startService("127.0.0.1", 0, dir.resolve("state"), Optional.empty());
        client = new ShuffleClient(Optional.empty());
        files = new ShuffleFiles(client.register("127.0.0.1", service.port(), APP, EXECUTOR, 1).join());
        List<byte[]> blocks = TestingMapOutput.blocks(21, 3, 10_000);
        TestingMapOutput.write(files, 3, 7, blocks);
        expected = blocks.get(1);
        startedNanos = System.nanoTime();
    }

    @AfterContainer
    static void stopTheServer() throws IOException {
        packageLogger.detachAppender(log);
        if (client != null) {
            client.close();
        }
        if (service != null) {
            service.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    // ---- the server ---------------------------------------------------------------------------

    @Property(tries = 200)
    void randomBytesGetRepliesOrAClose(@ForAll @Size(max = 600) byte[] bytes) throws IOException {
        sendAndDrain(bytes);
        assertStillServes();
    }

    @Property(tries = 300)
    void randomFramesOfEveryTypeGetRepliesOrAClose(@ForAll @IntRange(min = 0, max = 14) int type,
                                                   @ForAll @Size(max = 300) byte[] body) throws IOException {
        byte[] frame = ByteBuffer.allocate(4 + 1 + body.length).putInt(1 + body.length).put((byte) type).put(body)
                .array();
        sendAndDrain(frame);
        assertStillServes();
    }

    @Property(tries = 300)
    void truncatedAndMislabelledMessagesGetRepliesOrAClose(@ForAll("requests") ShuffleMessage message,
                                                           @ForAll("cuts") Cut cut) throws IOException {
        sendAndDrain(cut.apply(ShuffleServerTest.frame(message)));
        assertStillServes();
    }

    @Property(tries = 100)
    void oversizedOrNegativeLengthsCloseTheConnectionBeforeAnyAllocation(
            @ForAll("badLengths") int length, @ForAll @Size(max = 64) byte[] after) throws IOException {
        byte[] bytes = ByteBuffer.allocate(4 + after.length).putInt(length).put(after).array();
        assertEquals(0, sendAndDrain(bytes), "no reply to a frame of " + length + " bytes");
        assertStillServes();
    }

    @Property(tries = 50)
    void whatOnlyAServerSendsClosesTheConnection(@ForAll("serverMessages") ShuffleMessage message) throws IOException {
        assertEquals(0, sendAndDrain(ShuffleServerTest.frame(message)), message.toString());
        assertStillServes();
    }

    @Provide
    Arbitrary<ShuffleMessage> requests() {
        Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("other-app", "..", ".", "a/b", "exec-1", "shuffle_3_7_1", "shuffle_3_7_99"));
        Arbitrary<List<String>> lists = ids.list().ofMaxSize(5);
        Arbitrary<Long> requestIds = Arbitraries.longs();
        return Arbitraries.oneOf(
                Combinators.combine(requestIds, ids, ids, lists).as(FetchBlocks::new),
                Combinators.combine(requestIds, ids, lists).as((id, exec, blocks) -> new FetchBlocks(id, APP, exec,
                        blocks)),
                Combinators.combine(requestIds, ids, ids, Arbitraries.integers().between(-3, 70))
                        .as((id, app, exec, count) -> new RegisterExecutor(id, "fuzz-" + app, exec, count)),
                Combinators.combine(requestIds, ids, ids, lists).as(RegisterExecutorDirs::new),
                Combinators.combine(requestIds, ids).as((id, app) -> new ApplicationRemoved(id, "gone-" + app)));
    }

    @Provide
    Arbitrary<Cut> cuts() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Cut(Integer.MAX_VALUE, false, 0)),
                Combinators.combine(Arbitraries.integers().between(0, 200), Arbitraries.of(true, false),
                        Arbitraries.integers().between(-20, 20)).as(Cut::new));
    }

    /** Keeps the first {@code keep} bytes; {@code relabel}: the length prefix then says {@code delta} more or less than what follows. */
    record Cut(int keep, boolean relabel, int delta) {
        byte[] apply(byte[] frame) {
            byte[] cut = Arrays.copyOf(frame, Math.min(frame.length, keep));
            if (relabel && cut.length >= 4) {
                ByteBuffer.wrap(cut).putInt(0, cut.length - 4 + delta);
            }
            return cut;
        }
    }

    @Provide
    Arbitrary<Integer> badLengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(MessageCodec.MAX_FRAME_BYTES + 1, Integer.MAX_VALUE),
                Arbitraries.integers().between(Integer.MIN_VALUE, -1));
    }

    @Provide
    Arbitrary<ShuffleMessage> serverMessages() {
        return Arbitraries.of(new Ok(1), new Error(2, "no"), new BlockHeader(3, BLOCK.toString(), 10, null, 0),
                new BlockError(4, BLOCK.toString(), "no"), new Hello(false, new byte[0]), new Registered(5, List.of("/")));
    }

    /**
     * Sends the bytes on a connection of its own, half-closes it, and reads until the server closes
     * it: the server must answer or close within the deadline.
     *
     * @return how many bytes came back
     */
    private static int sendAndDrain(byte[] bytes) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            socket.setSoTimeout(DEADLINE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readNBytes(in.readInt());   // the hello
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            int count = 0;
            try {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    count += n;
                }
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("the server neither answered nor closed the connection in "
                        + DEADLINE_MILLIS + " ms");
            } catch (IOException reset) {
                // a reset is a close too
            }
            return count;
        }
    }

    /** The server serves a well-formed fetch byte-exact, and what it logged stays within the rules. */
    private static void assertStillServes() {
        assertArrayEquals(expected, TestingFetch.fetchBytes(client, service.port(), APP, EXECUTOR, BLOCK));
        List<ILoggingEvent> events = log.list.stream().filter(e -> !e.getLoggerName().equals(ClientHandler.class.getName()))
                .toList();
        long warnings = 0;
        for (ILoggingEvent event : events) {
            assertFalse(event.getLevel().isGreaterOrEqual(Level.ERROR), "an error was logged: "
                    + event.getFormattedMessage());
            if (event.getLevel() == Level.WARN) {
                warnings++;
                assertNull(event.getThrowableProxy(), "a stack trace for a stranger's fault: "
                        + event.getFormattedMessage());
            }
        }
        // four kinds of rate-limited lines (closed connection, refused request, and the gate's two), each
        // written at most once per 10 s
        long periods = 1 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos) / 10;
        assertTrue(warnings <= 4 * periods, warnings + " WARN lines in " + periods + " period(s) of 10 s: "
                + events.stream().map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).distinct().limit(5).toList());
    }

    // ---- the client ---------------------------------------------------------------------------

    @Property(tries = 100)
    void aClientGetsOneOutcomePerBlockFromAServerSendingRandomBytes(@ForAll @Size(max = 400) byte[] reply)
            throws Exception {
        Object outcome = fetchFromFakeServer(requestId -> reply);
        assertTrue(outcome instanceof String || outcome instanceof FetchedBlock, String.valueOf(outcome));
    }

    @Property(tries = 100)
    void aBlockShorterThanDeclaredIsAFailureNamingTheClosedConnection(
            @ForAll("declaredLengths") long declared, @ForAll @IntRange(min = 0, max = 5_000) int sent)
            throws Exception {
        int actuallySent = (int) Math.min(sent, Math.max(0, declared - 1));
        Object outcome = fetchFromFakeServer(requestId -> concat(ShuffleServerTest.frame(
                new BlockHeader(requestId, BLOCK.toString(), declared, null, 0)), new byte[actuallySent]));
        String reason = String.valueOf(outcome);
        if (declared > ResponseDecoder.MAX_BLOCK_BYTES) {
            assertTrue(reason.contains("larger than a reader holds"), reason);
        } else {
            assertTrue(reason.contains("closed"), reason);
        }
    }

    @Property(tries = 10)
    void aServerThatFallsSilentInsideABlockFailsTheFetchAfterTheReplyTimeout(
            @ForAll("declaredLengths") long declared, @ForAll @IntRange(min = 0, max = 5_000) int sent)
            throws Exception {
        Assume.that(declared <= ResponseDecoder.MAX_BLOCK_BYTES);
        int actuallySent = (int) Math.min(sent, declared - 1);
        Object outcome = fetchFromFakeServer(requestId -> concat(ShuffleServerTest.frame(
                new BlockHeader(requestId, BLOCK.toString(), declared, null, 0)), new byte[actuallySent]), true,
                Duration.ofMillis(300));
        String reason = String.valueOf(outcome);
        assertTrue(reason.contains("nothing arrived from the server for 300 ms while 1 request(s) waited"), reason);
    }

    @Property(tries = 100)
    void aTruncatedReplyIsAFailure(@ForAll @IntRange(min = 0, max = 60) int keep) throws Exception {
        Object outcome = fetchFromFakeServer(requestId -> {
            byte[] whole = concat(ShuffleServerTest.frame(new BlockHeader(requestId, BLOCK.toString(), 5, null, 0)),
                    new byte[] {1, 2, 3, 4, 5});
            return Arrays.copyOf(whole, Math.min(keep, whole.length - 1));
        });
        assertTrue(outcome instanceof String, String.valueOf(outcome));
    }

    /** The decoder's buffer for a block follows what arrived, not what the server declared. */
    @Property(tries = 200)
    void theDecoderHoldsWhatArrivedNotWhatWasDeclared(@ForAll("declaredLengths") long declared,
                                                      @ForAll @IntRange(min = 0, max = 300_000) int sent) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ResponseDecoder decoder = new ResponseDecoder();
        channel.pipeline().addLast(decoder);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(ShuffleServerTest.frame(
                    new BlockHeader(1, BLOCK.toString(), declared, null, 0))));
            int arrived = (int) Math.min(sent, declared - 1);
            for (int offset = 0; offset < arrived; offset += 8192) {   // as a socket delivers it, in pieces
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[Math.min(8192, arrived - offset)]));
            }

            long held = decoder.bufferedCapacity();
            assertTrue(held <= declared, held + " bytes held for a block of " + declared);
            assertTrue(held <= Math.max(ResponseDecoder.INITIAL_BLOCK_BUFFER, 2L * arrived),
                    held + " bytes held after " + arrived + " arrived of a declared " + declared);
        } catch (DecoderException refused) {
            assertTrue(declared > ResponseDecoder.MAX_BLOCK_BYTES, refused.getMessage());
            assertTrue(refused.getMessage().contains("larger than a reader holds"), refused.getMessage());
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<Long> declaredLengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1 << 20),
                Arbitraries.longs().between(1L << 20, ResponseDecoder.MAX_BLOCK_BYTES),
                Arbitraries.longs().between(ResponseDecoder.MAX_BLOCK_BYTES + 1, Long.MAX_VALUE));
    }

    /** What a fake server sends after reading a fetch: the reply for its request id. */
    @FunctionalInterface
    private interface FakeReply {
        byte[] reply(long requestId) throws IOException;
    }

    /**
     * Starts a fake server that greets, reads one fetch, sends {@code reply} and closes, for the
     * first attempt and the one retry of a client that retries once; fetches {@link #BLOCK} from it
     * with that client and returns the block's one outcome.
     */
    private static Object fetchFromFakeServer(FakeReply reply) throws Exception {
        return fetchFromFakeServer(reply, false, Duration.ofMillis(DEADLINE_MILLIS));
    }

    /**
     * As {@link #fetchFromFakeServer(FakeReply)}; with {@code thenSilent} the fake server keeps the
     * connection open after its reply, saying nothing more, until the client closes it.
     */
    private static Object fetchFromFakeServer(FakeReply reply, boolean thenSilent, Duration replyTimeout)
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ShuffleClient fetching = new ShuffleClient(Optional.empty(), replyTimeout, ConnectionLimits.DEFAULT_CONNECT_TIMEOUT,
                     new long[] {0})) {
            server.setSoTimeout(DEADLINE_MILLIS);
            CompletableFuture.runAsync(() -> {
                serveOnce(server, reply, thenSilent);
                serveOnce(server, reply, thenSilent);   // a request whose connection closed is tried once more
            });
            TestingFetch.Pending pending = TestingFetch.start(fetching, server.getLocalPort(), APP, EXECUTOR, BLOCK);
            Map<ShuffleBlockId, Object> outcomes = pending.done().get(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            assertEquals(1, outcomes.size());
            return outcomes.get(BLOCK);
        }
    }

    private static void serveOnce(ServerSocket server, FakeReply reply, boolean thenSilent) {
        if (server.isClosed()) {
            return;
        }
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(DEADLINE_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(ShuffleServerTest.frame(new Hello(false, new byte[0])));
            out.flush();
            InputStream raw = socket.getInputStream();
            DataInputStream in = new DataInputStream(raw);
            byte[] request = in.readNBytes(in.readInt());
            FetchBlocks fetch = (FetchBlocks) MessageCodec.decode(Unpooled.wrappedBuffer(request));
            out.write(reply.reply(fetch.requestId()));
            out.flush();
            if (thenSilent) {
                in.readAllBytes();   // until the client closes the connection
            }
        } catch (IOException closedOrNotRetried) {
            // the client did not try again (its first failure was not retryable), or the test ended
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
