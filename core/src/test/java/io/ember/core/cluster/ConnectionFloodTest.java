package io.ember.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.management.UnixOperatingSystemMXBean;
import io.ember.core.dataset.Pair;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import io.ember.core.testing.Eventually;
import io.ember.core.worker.WorkerServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A flood of connections that never authenticate never stops an authenticated job from finishing.
 * A master process, a worker in this JVM with its shuffle service and RPC server held to small
 * connection caps, and a driver in this JVM, all with a secret; from this JVM, 20,000 connections
 * in batches, half to the shuffle service and half to the worker's RPC server, while the
 * application runs a shuffle job (its executors fetch from the service) and a client makes
 * authenticated calls to the worker on new connections.
 *
 * <p>The caps are set from this JVM's open-file limit, so that they, not the operating system, are
 * what is tested: on a machine with {@code ulimit -n} 1024 they are smaller, never skipped.
 */
@Timeout(240)
final class ConnectionFloodTest {

    private static final String SECRET = "the-secret-of-the-flood-test";
    /** Connections to each server: 20,000 in all. */
    private static final int PER_TARGET = 10_000;
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long RECORDS = 20_000;
    private static final int KEYS = 7;
    /** New connections a client may need for one call under the flood (each fails within about a second). */
    private static final int ATTEMPTS = 30;

    @RegisterExtension
    final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withSecret(SECRET);

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Logger> watched = List.of((Logger) LoggerFactory.getLogger("io.ember.shuffle.sort.ShuffleServer"),
            (Logger) LoggerFactory.getLogger("io.ember.core.rpc.RpcServer"));

    @BeforeEach
    void captureTheServersLog() {
        log.start();
        watched.forEach(logger -> logger.addAppender(log));
    }

    @AfterEach
    void stopCapturing() {
        watched.forEach(logger -> logger.detachAppender(log));
    }

    @Test
    void aFloodOfUnauthenticatedConnectionsNeverStopsAnAuthenticatedJob() throws Exception {
        Budget budget = Budget.forThisProcess();
        System.out.println("Flood test: " + budget);
        WorkerServer worker = cluster.startWorker("worker-1", 4, Map.of(
                "ember.auth.secret", SECRET,
                "ember.shuffle.service.port", "0",
                "ember.shuffle.service.maxConnections", Integer.toString(budget.cap()),
                "ember.shuffle.service.authTimeout", AUTH_TIMEOUT.toMillis() + "ms",
                "ember.shuffle.service.idleTimeout", "5s",
                "ember.rpc.maxConnections", Integer.toString(budget.cap()),
                "ember.rpc.authTimeout", AUTH_TIMEOUT.toMillis() + "ms"));
        InetSocketAddress shuffle = new InetSocketAddress("127.0.0.1", worker.shufflePort());
        InetSocketAddress rpc = new InetSocketAddress("127.0.0.1", worker.info().rpcPort());
        cluster.awaitLeaderAbove(0);

        EmberContext first = cluster.startApplication(cluster.applicationSettings("before-and-during", 2));
        first.awaitExecutors(2, WAIT);
        long quietMillis = timedJob(first);   // also warms up: executors, class loading, connections
        quietMillis = Math.min(quietMillis, timedJob(first));
        Eventually.await(Duration.ofSeconds(30), () -> openFiles() > 0, "the count of open files is readable");
        long baseline = openFiles();

        Flood flood = new Flood(List.of(shuffle, rpc), budget.batch());
        CompletableFuture<Void> flooding = CompletableFuture.runAsync(flood);
        Eventually.await(WAIT, () -> flood.opened() >= 2L * budget.batch(), "the flood is under way");

        long floodedMillis = timedJob(first);
        List<String> rpcMillis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rpcMillis.add(timedWorkerCall(rpc));
        }
        flood.finishAfter(PER_TARGET * 2L);
        flooding.join();
        long afterFloodMillis = timedJob(first);
        String quietRpcMillis = timedWorkerCall(rpc);

        // (b) Connections that never authenticate are closed after the timeout.
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                silent.add(Flood.connect(shuffle));
                silent.add(Flood.connect(rpc));
            }
            for (Socket socket : silent) {
                assertClosedByTheServer(socket);
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }

        // (d) The servers' descriptors return to what they were.
        Eventually.await(WAIT, () -> openFiles() <= baseline + 10,
                () -> "open files back to the baseline of " + baseline + ": " + openFiles());
        long after = openFiles();

        // (a) The caps held, each server said so in one line per ten seconds at most.
        long floodSeconds = Math.max(1, flood.millis() / 1000);
        List<String> shuffleFull = warnings("io.ember.shuffle.sort.ShuffleServer", "is at its limit");
        List<String> rpcFull = warnings("io.ember.core.rpc.RpcServer", "is at its limit");
        List<String> expired = warnings(null, "within " + AUTH_TIMEOUT.toMillis() + " ms");
        long allowed = 2 + floodSeconds / 10;
        System.out.printf("Flood test figures: %,d connections in %,d ms (%,d to each server), caps %d, batches of %d;"
                        + " open files: baseline %d, peak %d (beyond the flood's own client sockets: %d), after %d;"
                        + " the shuffle job took %d ms without the flood, %d ms during it, %d ms after it; an "
                        + "authenticated call to the worker on a new connection took %s during the flood, %s "
                        + "after it; WARN lines: shuffle full %d, RPC full %d, timed out %d%n",
                flood.opened(), flood.millis(), flood.opened() / 2, budget.cap(), budget.batch(), baseline,
                flood.peakOpenFiles(), flood.peakBeyondClients() - baseline, after, quietMillis, floodedMillis,
                afterFloodMillis, rpcMillis, quietRpcMillis, shuffleFull.size(), rpcFull.size(), expired.size());
        shuffleFull.forEach(line -> System.out.println("  " + line));
        rpcFull.forEach(line -> System.out.println("  " + line));
        assertTrue(flood.opened() >= 2L * PER_TARGET, "opened " + flood.opened());
        assertTrue(!shuffleFull.isEmpty() && shuffleFull.size() <= allowed,
                "the shuffle service said it was full, at most once per 10 s: " + shuffleFull);
        assertTrue(!rpcFull.isEmpty() && rpcFull.size() <= allowed,
                "the RPC server said it was full, at most once per 10 s: " + rpcFull);
        assertTrue(!expired.isEmpty() && expired.size() <= 2 * allowed, "timeouts, rate-limited: " + expired);
        // The peak is a figure, not an assertion: the caps bound the connections each server admits (its
        // unit tests pin that), but a connection it closes to make room keeps its descriptor until the
        // connection's event loop gets to it, which on two busy cores can be a batch later.
    }

    /**
     * Makes an authenticated call to the worker's RPC server on a new connection, as the master
     * does, trying again on another new connection when this one is lost (under a flood, a
     * connection may be closed to make room before its first call is read, as a stranger's would):
     * the worker must answer it within a few attempts (here with a refusal of the stale epoch).
     * Returns how long it took, and how many attempts.
     */
    private static String timedWorkerCall(InetSocketAddress worker) {
        long started = System.nanoTime();
        Status last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (RpcChannels channels = new RpcChannels("flood-test-client", Optional.of(SECRET))) {
                WorkerServiceGrpc.newBlockingStub(channels.channel("127.0.0.1:" + worker.getPort()))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .killExecutor(KillExecutorRequest.newBuilder().setEpoch(0).setAppId("app-none")
                                .setExecutorId("0").build());
                return (System.nanoTime() - started) / 1_000_000 + " ms (attempt " + attempt + ")";
            } catch (StatusRuntimeException e) {
                last = e.getStatus();
                Status.Code code = last.getCode();
                assertTrue(code != Status.Code.UNAUTHENTICATED && code != Status.Code.DEADLINE_EXCEEDED,
                        "the worker took the call: " + last);
                if (code != Status.Code.UNAVAILABLE) {
                    return (System.nanoTime() - started) / 1_000_000 + " ms (attempt " + attempt + ")";
                }
            }
        }
        throw new AssertionError("the worker did not answer in " + ATTEMPTS + " attempts: " + last);
    }

    /** Runs a shuffle job and checks its result; returns how long it took. */
    private static long timedJob(EmberContext context) {
        long started = System.nanoTime();
        Map<Long, Long> sums = new TreeMap<>(context.range(0, RECORDS, 8)
                .mapToPair(i -> new Pair<>(i % KEYS, i))
                .reduceByKey(Long::sum, 4)
                .collectAsMap());
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<Long, Long> expected = LongStream.range(0, RECORDS).boxed()
                .collect(Collectors.groupingBy(i -> i % KEYS, TreeMap::new, Collectors.summingLong(i -> i)));
        assertEquals(expected, sums, "the job's result is exact");
        return millis;
    }

    private static void assertClosedByTheServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // what the server sent first (a hello, HTTP/2 settings)
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a connection that never authenticated", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
    }

    private List<String> warnings(String logger, String containing) {
        return log.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && (logger == null || e.getLoggerName().equals(logger)))
                .map(ILoggingEvent::getFormattedMessage).filter(line -> line.contains(containing)).toList();
    }

    /** This JVM's open file descriptors (what /proc/self/fd lists). */
    static long openFiles() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }

    /**
     * The caps and batch size this process can afford: the flood's client sockets, both servers'
     * caps and the cluster's own files must fit well within the open-file limit.
     *
     * @param limit this JVM's open-file limit
     * @param cap each server's connection cap
     * @param batch the flood's sockets open at once
     */
    record Budget(long limit, int cap, int batch) {

        static Budget forThisProcess() {
            long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getMaxFileDescriptorCount();
            long spare = limit - openFiles() - 600;   // the cluster's own files: jars, ZooKeeper, drivers, pipes
            if (spare < 300) {
                throw new AssertionError("this JVM may open only " + limit + " files; the flood test needs about "
                        + (openFiles() + 900));
            }
            int cap = (int) Math.min(500, spare / 6);
            int batch = (int) Math.min(1_000, spare / 3);
            return new Budget(limit, cap, batch);
        }
    }

    /**
     * Opens connections to the targets in turn, a batch at a time: each batch is held open while
     * the next is made, then closed with a reset (no TIME_WAIT left behind). Never sends a byte.
     */
    private static final class Flood implements Runnable {

        private final List<InetSocketAddress> targets;
        private final int batch;
        private final AtomicBoolean finishing = new AtomicBoolean();
        private volatile long finishAfter = Long.MAX_VALUE;
        private volatile long opened;
        private volatile long millis;
        private volatile long peakOpenFiles;
        private volatile long peakBeyondClients;

        Flood(List<InetSocketAddress> targets, int batch) {
            this.targets = List.copyOf(targets);
            this.batch = batch;
        }

        /** Ends the flood once it opened {@code total} connections. */
        void finishAfter(long total) {
            finishAfter = total;
            finishing.set(true);
        }

        @Override
        public void run() {
            long started = System.nanoTime();
            List<Socket> previous = List.of();
            try {
                while (!finishing.get() || opened < finishAfter) {
                    List<Socket> current = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        current.add(connect(targets.get(i % targets.size())));
                    }
                    opened += batch;
                    long open = openFiles();
                    peakOpenFiles = Math.max(peakOpenFiles, open);
                    peakBeyondClients = Math.max(peakBeyondClients, open - previous.size() - current.size());
                    closeAll(previous);
                    previous = current;
                }
            } catch (IOException e) {
                throw new IllegalStateException("the flood could not connect after " + opened + " connections", e);
            } finally {
                closeAll(previous);
                millis = (System.nanoTime() - started) / 1_000_000;
            }
        }

        static Socket connect(InetSocketAddress target) throws IOException {
            Socket socket = new Socket();
            try {
                socket.setSoLinger(true, 0);
                socket.setSoTimeout(20_000);
                socket.connect(target, 10_000);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        private static void closeAll(List<Socket> sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a socket the server already reset
                }
            }
        }

        long opened() {
            return opened;
        }

        long millis() {
            return millis;
        }

        long peakOpenFiles() {
            return peakOpenFiles;
        }

        long peakBeyondClients() {
            return peakBeyondClients;
        }
    }
}
