package io.ember.benchmarks.micro;

import io.ember.core.rpc.AuthToken;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost {@code ember.auth.secret} adds to every control-plane call: {@link AuthToken#create}
 * on the client (a SecureRandom nonce and an HMAC-SHA256) and {@link AuthToken#verify} on the
 * server (parse, a second HMAC, the replay memory). Every verified token is new, so the replay
 * memory fills up to its capacity and then forgets the oldest nonces, as on a busy server.
 *
 * <p>{@code benchmarks/run jmh AuthTokenBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthTokenBenchmark {

    private static final String METHOD = "ember.control.v1.MasterService/RequestTotalExecutors";

    private AuthToken client;
    private AuthToken server;

    @Setup
    public void setUp() {
        client = new AuthToken("benchmark-secret-0123456789abcdef");
        server = new AuthToken("benchmark-secret-0123456789abcdef");
        checkAccepted();
    }

    /** A full replay memory must still accept fresh tokens, or the benchmark measures refusals. */
    @TearDown(Level.Iteration)
    public void checkAccepted() {
        AuthToken.Verdict verdict = server.verify(client.create(METHOD), METHOD);
        if (verdict != AuthToken.Verdict.ACCEPTED) {
            throw new IllegalStateException("a fresh token was refused: " + verdict);
        }
    }

    /** The client's side alone: one token. */
    @Benchmark
    public String create() {
        return client.create(METHOD);
    }

    /** One authenticated call: the client's token, checked by the server. */
    @Benchmark
    public AuthToken.Verdict createAndVerify() {
        return server.verify(client.create(METHOD), METHOD);
    }
}
