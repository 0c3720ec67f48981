package io.ember.core.cli;

import io.ember.core.concurrent.Threads;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Arms an {@link ApplicationStop} in this JVM: one shutdown hook runs it, and SIGINT and SIGTERM
 * are handled here so that a second one during the stop exits at once.
 *
 * <p>Why {@code sun.misc.Signal} (module {@code jdk.unsupported}, which the JDK keeps for this
 * use): on SIGINT or SIGTERM the JVM runs its shutdown hooks by itself, but a second Ctrl-C while
 * they run is lost, since the JVM's handler calls {@code System.exit}, which waits behind the exit
 * in progress, so an operator could not cut a slow stop short. Here the first signal records
 * itself in the stop (so the line says "interrupted" or "terminated", and the application's main
 * method is waited for) and calls {@code System.exit(128 + signal number)} as the JVM's own handler
 * does, so the exit code stays 130 or 143; any later one halts the JVM with its own code after one
 * line. Where a handler cannot be installed (the JVM runs with {@code -Xrs}) the JVM's handling
 * stays and the hook still runs; a signal the process was started ignoring (a background job of a
 * non-interactive shell ignores SIGINT) stays ignored.
 *
 * <p>Each signal is handled on a thread the JVM starts for it.
 */
final class JvmStopTrigger implements StopTrigger {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    @Override
    public Armed arm(ApplicationStop stop) {
        Thread hook = Threads.newThread("ember-submit-shutdown", stop, false);
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicInteger received = new AtomicInteger();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> handle(signal, received, stop));
            } catch (IllegalArgumentException e) {
                // -Xrs: the JVM leaves the signal alone, and so do we
            }
        }
        // The handlers stay: once the main method has returned, the JVM exits next, and a stop still
        // running (the main method returns as soon as its jobs fail) must still hear a second Ctrl-C.
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is exiting already (told to stop, the hook runs that stop): it stays
            }
        };
    }

    private static void handle(Signal signal, AtomicInteger received, ApplicationStop stop) {
        String name = "SIG" + signal.getName();
        int exitCode = 128 + signal.getNumber();
        if (received.getAndIncrement() == 0) {
            stop.signalled(name);
            System.exit(exitCode);
        } else {
            stop.forced(name, exitCode);
            Runtime.getRuntime().halt(exitCode);
        }
    }
}
