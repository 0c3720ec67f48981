package io.ember.core.executor;

import io.ember.core.bootstrap.JulBridge;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The main class of an executor JVM, started by a worker:
 *
 * <pre>
 *   java ... io.ember.core.executor.ExecutorMain
 *       --app-id A --executor-id E --worker-id W --driver host:port --cores N --host H
 *       --zookeeper CONNECT --cluster C --session-timeout 4s [--setting key=value]...
 * </pre>
 *
 * (see {@link ExecutorArguments} for each option). The cluster's secret, when it has one, comes in
 * the environment variable {@value #SECRET_VARIABLE}, never on the command line.
 *
 * <p>Start-up is kept lean (§9 of the design): no Guice, no plugins, no configuration files, just
 * these arguments. The shuffle plugin is loaded later, at the first task that shuffles
 * ({@link ExecutorShuffleOpener}). Logging goes through SLF4J to standard error, which the worker keeps in the
 * executor's work directory. An executor ignores SIGINT (a terminal's Ctrl-C): its worker stops it.
 *
 * <p>Exit codes:
 * <ul>
 *   <li>{@value ExecutorBackend#EXIT_CLEAN}: the driver shut the executor down or ended its stream;
 *   <li>{@value ExecutorBackend#EXIT_FAILURE}: the driver went away (a broken stream), the executor
 *       could not register with it or in ZooKeeper, or the worker that started it died
 *       ({@link ParentWatch});
 *   <li>{@value #USAGE_EXIT_CODE}: an unknown, repeated, missing or invalid argument (one line on
 *       standard error says which).
 * </ul>
 */
public final class ExecutorMain {

    /** The environment variable carrying {@code ember.auth.secret}. */
    public static final String SECRET_VARIABLE = "EMBER_AUTH_SECRET";

    /** Exit code for a bad command line. */
    public static final int USAGE_EXIT_CODE = 2;

    private ExecutorMain() {
    }

    public static void main(String[] args) {
        JulBridge.install();
        // First, so an executor whose worker dies during its start-up does not outlive it.
        ParentWatch.exitWhenParentDies(() -> LoggerFactory.getLogger(ExecutorMain.class)
                .warn("The worker that started this executor died; exiting"));
        ignoreInterrupts();
        ExecutorArguments arguments;
        try {
            arguments = ExecutorArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ember executor: " + e.getMessage());
            System.exit(USAGE_EXIT_CODE);
            return;
        }
        ExecutorBackend backend;
        try {
            backend = ExecutorBackend.start(arguments, secret());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ExecutorMain.class).error("Executor {} of application {} cannot start: {}",
                    arguments.executorId(), arguments.appId(), e.toString());
            System.exit(ExecutorBackend.EXIT_FAILURE);
            return;
        }
        System.exit(backend.awaitExit());
    }

    /**
     * Ignores SIGINT. A terminal's Ctrl-C reaches every process of its foreground group: the
     * executors of a local cluster, or of a worker run in the foreground, as well as the JVM that
     * runs them. That JVM stops them in order (the master told first, so it replaces none, then the
     * worker stops them); an executor that died of the Ctrl-C on its own first would look like a
     * failure to replace. SIGTERM, which the worker sends, still ends it, and {@link ParentWatch} when
     * the worker is gone. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the JDK's
     * one way to do this; where it cannot (the JVM runs with {@code -Xrs}) the JVM's own handling stays.
     */
    private static void ignoreInterrupts() {
        try {
            Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // -Xrs: the JVM leaves SIGINT alone
        }
    }

    private static Optional<String> secret() {
        return Optional.ofNullable(System.getenv(SECRET_VARIABLE)).filter(s -> !s.isEmpty());
    }
}
